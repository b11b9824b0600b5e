/**
 * The release commands through the real CLI (`run([...])`): the fake Skill Management API on 127.0.0.1, every
 * Lambda client mocked by the in-memory Lambda model. Flags, exit codes, `--json` documents, `--dry-run`, and the
 * local checks that stop a release before any remote call.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { FakeSmapi } from "../../../testkit/fakes/smapi";
import type { LambdaModel } from "../../../testkit/fakes/lambda";
import { prodOutputs } from "../../../testkit/release-world";
import { runCli, releaseCommand, startReleaseCli, tempDir } from "./cli-harness";

const BUNDLE = "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=";
const fastWait = ["--poll-interval", "1ms", "--timeout", "20s"];

describe("skillship release, release watch, publish, rollback, withdraw (CLI)", () => {
  let fake: FakeSmapi;
  let lambda: LambdaModel;
  let env: Record<string, string | undefined>;
  let outputs: string;
  let build: string;
  let pkg: string;

  beforeEach(async () => {
    ({ fake, lambda, env, outputs, build, pkg } = await startReleaseCli(BUNDLE, {
      buildPolls: 1,
      certificationPolls: 2,
      publicationPolls: 1,
    }));
  });

  afterEach(async () => {
    lambda.restore();
    await fake.close();
  });

  const releaseArgs = (...more: string[]): string[] =>
    releaseCommand({ outputs, build, pkg }, "v1.0.0", ...fastWait, ...more);

  it("--dry-run prints the numbered plan and changes nothing", async () => {
    const result = await runCli(releaseArgs("--dry-run"), env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("skillship release (dry run: nothing is changed)");
    expect(result.stdout).toMatch(/1\. Publish jokebox-prod:\$LATEST as a new version/);
    expect(result.stdout).toMatch(
      /4\. Run Alexa's certification validations on the development stage \(de-DE, en-GB, en-US, es-ES, fr-FR\); stop before submitting on any REQUIRED failure/,
    );
    expect(result.stdout).toMatch(/5\. Submit the skill for certification \(MANUAL_PUBLISHING\)/);
    expect(fake.callsTo("submitValidation")).toHaveLength(0);
    expect(lambda.versions).toHaveLength(1);
    expect(fake.skill().certifications).toHaveLength(0);
  });

  it("releases, watches and publishes, printing one JSON document each with --json", async () => {
    const released = await runCli(releaseArgs("--json"), env);
    expect(released.code).toBe(0);
    const document = JSON.parse(released.stdout) as {
      path: string;
      version: string;
      steps: { kind: string }[];
    };
    expect(document).toMatchObject({ path: "candidate", version: "2", applied: true, exitCode: 0 });
    expect(document.steps.map((s) => s.kind)).toEqual([
      "publish-version",
      "move-alias",
      "set-development-endpoint",
      "validate",
      "submit",
    ]);
    expect(lambda.versions[1].description).toMatch(
      /^tag=v1\.0\.0; commit=0123456789abcdef.*; bundle=n4bQ.*; model=[0-9a-f]{12}; msg=v1\.0\.0$/,
    );

    const watched = await runCli(["release", "watch", "--outputs", outputs, "--json", ...fastWait], env);
    expect(watched.code).toBe(0);
    expect(JSON.parse(watched.stdout)).toMatchObject({ outcome: "certified", readyToPublish: true });

    const published = await runCli(["publish", "--outputs", outputs, ...fastWait], env);
    expect(published.code).toBe(0);
    expect(published.stdout).toContain("Publish certification");
    expect(fake.skill().liveVersion).toBe("1");
  });

  describe("--json prints one document on every exit, failures included", () => {
    it("a refused submission: exit code, error, the steps done, the failed one and what was put back", async () => {
      fake.failAt({ call: "submitForCertification", status: 400 });
      const result = await runCli(releaseArgs("--json"), env);
      expect(result.code).toBe(1);
      const document = JSON.parse(result.stdout) as Record<string, unknown>;
      expect(document).toMatchObject({
        exitCode: 1,
        error: { type: "SmapiError", message: expect.stringMatching(/refused submitting skill .* \(400: /) },
        operation: "release",
        path: "candidate",
        steps: [
          { kind: "publish-version" },
          { kind: "move-alias" },
          { kind: "set-development-endpoint" },
          { kind: "validate" },
        ],
        failedStep: { kind: "submit" },
        restored: [
          {
            kind: "set-development-endpoint",
            ok: true,
            text: expect.stringMatching(/^Put the development stage back on the dev stack's endpoint/),
          },
        ],
      });
      expect((document.error as { resource?: string }).resource).toMatch(/submitting skill/);
      // For people, on stderr: the error; the restore went by as a step.
      expect(result.stderr).toMatch(/skillship: The Skill Management API refused submitting/);
    });

    it("a wait that times out: exit 3 and the StillWaitingError, in one document", async () => {
      fake.knobs.certificationPolls = 1000;
      expect((await runCli(releaseArgs(), env)).code).toBe(0);
      const watched = await runCli(
        ["release", "watch", "--outputs", outputs, "--json", "--timeout", "50ms", "--poll-interval", "10ms"],
        env,
      );
      expect(watched.code).toBe(3);
      expect(JSON.parse(watched.stdout)).toMatchObject({
        exitCode: 3,
        error: { type: "StillWaitingError", resource: expect.stringMatching(/^Certification /) },
      });
    });

    it("a failed certification: watch's result with exit 1 and the error", async () => {
      fake.knobs.certificationOutcomes = ["FAILED"];
      expect((await runCli(releaseArgs(), env)).code).toBe(0);
      const watched = await runCli(["release", "watch", "--outputs", outputs, "--json", ...fastWait], env);
      expect(watched.code).toBe(1);
      expect(JSON.parse(watched.stdout)).toMatchObject({
        outcome: "failed",
        restoredDevelopment: true,
        exitCode: 1,
        error: { type: "OperationError" },
      });
    });

    it.each([
      ["a missing flag", ["withdraw", "--json"], /--reason is required/, "UsageError"],
      ["an unknown flag", ["rollback", "--json", "--bogus"], /unknown option '--bogus'/, "UsageError"],
      ["a missing variable", ["publish", "--json"], /ASK_REFRESH_TOKEN/, "ConfigError"],
    ])("%s, before the command started: exit 2 and the error", async (_name, args, message, type) => {
      const result = await runCli([...args, "--outputs", outputs], { ...env, ASK_REFRESH_TOKEN: undefined });
      expect(result.code).toBe(2);
      expect(JSON.parse(result.stdout)).toEqual({ exitCode: 2, error: expect.objectContaining({ type }) });
      expect(JSON.parse(result.stdout).error.message).toMatch(message);
    });
  });

  it("release watch exits 3 while the certification is still in progress after --timeout", async () => {
    fake.knobs.certificationPolls = 1000;
    expect((await runCli(releaseArgs(), env)).code).toBe(0);
    const watched = await runCli(
      ["release", "watch", "--outputs", outputs, "--timeout", "50ms", "--poll-interval", "10ms"],
      env,
    );
    expect(watched.code).toBe(3);
    expect(watched.stderr).toMatch(/still IN_PROGRESS .*run `skillship release watch` again/);
  });

  it("release watch prints the review and exits 1 when certification fails, with the dev endpoint back", async () => {
    fake.knobs.certificationOutcomes = ["FAILED"];
    expect((await runCli(releaseArgs(), env)).code).toBe(0);
    const watched = await runCli(["release", "watch", "--outputs", outputs, ...fastWait], env);
    expect(watched.code).toBe(1);
    expect(watched.stdout).toMatch(/failed; the development stage is back on the dev stack/);
    expect(watched.stdout).toMatch(/launch request/);
    expect(fake.skill().stages.development.manifest?.value).toMatchObject({
      manifest: { apis: { custom: { endpoint: { uri: prodOutputs.developmentEndpoint } } } },
    });
  });

  it("stops before any remote call when a credential is missing, naming the variable", async () => {
    const result = await runCli(releaseArgs(), { ...env, ASK_REFRESH_TOKEN: undefined });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/ASK_REFRESH_TOKEN/);
    expect(result.stderr).not.toContain(fake.credentials.clientSecret);
    expect(fake.calls).toHaveLength(0);
    expect(lambda.calls).toHaveLength(0);
  });

  describe("AWS credentials come from the AWS SDK's chain, resolved once before any call", () => {
    // Nothing from this machine's own AWS set-up: no variables, no shared files, no instance metadata service.
    const noAws = (): Record<string, string | undefined> => {
      const dir = tempDir("skillship-aws-");
      return {
        ...env,
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
        AWS_SESSION_TOKEN: undefined,
        AWS_PROFILE: undefined,
        AWS_ROLE_ARN: undefined,
        AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
        AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
        AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_CONFIG_FILE: join(dir, "config"),
        AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials"),
      };
    };

    it("none at all: exit 2 naming the variables and what to do, before any call", async () => {
      const result = await runCli(releaseArgs(), noAws());
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(
        /No AWS credentials .*none of AWS_ACCESS_KEY_ID\/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or a role is set/,
      );
      expect(result.stderr).toContain("aws-actions/configure-aws-credentials");
      expect(result.stderr).not.toMatch(/unexpected error|CredentialsProviderError: /);
      expect(fake.calls).toHaveLength(0);
      expect(lambda.calls).toHaveLength(0);
    });

    it("a profile that gives none: exit 2 naming AWS_PROFILE and the profile", async () => {
      const result = await runCli(["rollback", "--outputs", outputs], { ...noAws(), AWS_PROFILE: "ghost" });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/AWS_PROFILE names the profile "ghost", which gives no credentials/);
      expect(fake.calls).toHaveLength(0);
    });

    it("a profile of the shared credentials file is a valid source, not only the variables", async () => {
      const aws = noAws();
      writeFileSync(
        aws.AWS_SHARED_CREDENTIALS_FILE!,
        "[team]\naws_access_key_id = AKIDTEAM\naws_secret_access_key = team-secret\n",
      );
      const result = await runCli(releaseArgs(), { ...aws, AWS_PROFILE: "team" });
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(lambda.versions).toHaveLength(2);
    });
  });

  it("stops before any remote call when the skill package has lint errors", async () => {
    const file = join(pkg, "interactionModels", "custom", "de-DE.json");
    const model = JSON.parse(readFileSync(file, "utf8")) as {
      interactionModel: { languageModel: { invocationName: string } };
    };
    model.interactionModel.languageModel.invocationName = "";
    writeFileSync(file, JSON.stringify(model));
    const result = await runCli(releaseArgs(), env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/lint error.*nothing was released/);
    expect(result.stderr).toContain("de-DE.json");
    expect(fake.calls).toHaveLength(0);
    expect(lambda.calls).toHaveLength(0);
  });

  it("says how to build when the build record is missing, before any remote call", async () => {
    const result = await runCli(releaseArgs("--build", join(tempDir(), "none.json")), env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/none\.json cannot be read: run `npm run build` first/);
    expect(lambda.calls).toHaveLength(0);
  });

  it("rollback with nothing live, and withdraw with nothing pending, say so", async () => {
    const rolled = await runCli(["rollback", "--outputs", outputs], env);
    expect(rolled.code).toBe(1);
    expect(rolled.stderr).toMatch(/nothing Skillship released is live|no live stage/);
    const withdrawn = await runCli(["withdraw", "--reason", "TEST_SKILL", "--outputs", outputs], env);
    expect(withdrawn.code).toBe(0);
    expect(withdrawn.stdout).toContain("Nothing to do: no certification has been submitted.");
    const badReason = await runCli(["withdraw", "--reason", "BORED", "--outputs", outputs], env);
    expect(badReason.code).toBe(2);
    expect(badReason.stderr).toMatch(/--reason "BORED" must be one of TEST_SKILL/);
  });
});
