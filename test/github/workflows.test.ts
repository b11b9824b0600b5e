// Over 350 lines on purpose: one test per pipeline rule, each also run on a copy broken on purpose.
/**
 * The delivery pipeline's workflows: this repository's callers and the reusable workflows they call, valid against
 * GitHub's schema, and every rule of the pipeline asserted from the parsed YAML, on the workflows as they run (each
 * call resolved into the jobs it runs, with the caller's triggers and inputs). Each rule is also run on a copy
 * broken on purpose, to prove it can fail. The callers `skillship init` writes pass the same rules:
 * init-callers.test.ts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { buildProgram } from "../../scripts/cli";
import { callProblems, interfaceProblems, triggerProblems, workflowFileProblems } from "./support/calls";
import type { RunContext } from "./support/run-commands";
import {
  actionRefProblems,
  actionSchemaProblems,
  adminStackProblems,
  artifactMajorProblems,
  concurrencyProblems,
  driftProblems,
  environmentProblems,
  forkProblems,
  lwaSecrets,
  notifyProblems,
  permissionProblems,
  pullRequestSecretProblems,
  policyPackProblems,
  referenceProblems,
  refreshProblems,
  schemaProblems,
  secretProblems,
  setupActionProblems,
  setupAndSummaryProblems,
  timeoutProblems,
} from "./support/rules";
import {
  cloneWorkflows,
  loadSetupAction,
  loadWorkflows,
  repoRoot,
  resolveCalls,
  type Job,
  type LoadedWorkflow,
  type SetupAction,
} from "./support/workflows";

/** The workflow files as written: six callers and the six reusable workflows they call. */
const files = loadWorkflows();
/** The workflows as they run. */
const workflows = resolveCalls(files);
const action = loadSetupAction();
const context: RunContext = {
  scripts: (
    JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { scripts: Record<string, string> }
  ).scripts,
  program: buildProgram(),
};

/** A job of a workflow file (of a copy, to break it). */
function job(copy: LoadedWorkflow[], file: string, id: string): Job {
  const found = copy.find((w) => w.file === file)?.doc.jobs[id];
  if (!found) throw new Error(`test setup: ${file} has no job ${id}`);
  return found;
}

/** A copy of the files broken on purpose. */
function brokenFiles(mutate: (copy: LoadedWorkflow[]) => void): LoadedWorkflow[] {
  const copy = cloneWorkflows(files);
  mutate(copy);
  return copy;
}

/** The workflows as they run, from a copy of the files broken on purpose. */
function broken(mutate: (copy: LoadedWorkflow[]) => void): LoadedWorkflow[] {
  return resolveCalls(brokenFiles(mutate));
}

function brokenAction(mutate: (doc: SetupAction["doc"]) => void): SetupAction {
  const doc = structuredClone(action.doc);
  mutate(doc);
  return { text: action.text, doc };
}

const ci = "ci.yml → reusable-ci.yml";
const beta = "beta.yml → reusable-beta.yml";
const release = "release.yml → reusable-release.yml";
const certification = "certification.yml → reusable-certification.yml";
const rollback = "rollback.yml → reusable-rollback.yml";
const drift = "drift.yml → reusable-drift.yml";

describe("the workflow files", () => {
  it("are six thin callers and the six reusable workflows they call", () => {
    expect(files.map((w) => w.file)).toEqual([
      "beta.yml",
      "certification.yml",
      "ci.yml",
      "drift.yml",
      "release.yml",
      "reusable-beta.yml",
      "reusable-certification.yml",
      "reusable-ci.yml",
      "reusable-drift.yml",
      "reusable-release.yml",
      "reusable-rollback.yml",
      "rollback.yml",
    ]);
    expect(workflows.map((w) => w.file).sort()).toEqual([beta, certification, ci, drift, release, rollback]);
    for (const caller of files.filter((w) => !w.file.startsWith("reusable-"))) {
      expect(Object.values(caller.doc.jobs).every((j) => j.uses !== undefined && j.steps === undefined)).toBe(
        true,
      );
    }
  });

  it("validate against GitHub's workflow schema, callers and reusable workflows alike", () => {
    expect(schemaProblems(files)).toEqual([]);
  });

  it("a workflow that breaks the schema, or a calling job with an environment, is reported", () => {
    const reusable = files.find((w) => w.file === "reusable-ci.yml")!;
    const text = reusable.text
      .replace("runs-on: ubuntu-latest", "runs-on: [[ubuntu-latest")
      .replace(/^on:/m, "onn:");
    const caller = files.find((w) => w.file === "beta.yml")!;
    const callerText = caller.text.replace("    uses: ./", "    environment: beta\n    uses: ./");
    expect(
      schemaProblems([
        { ...reusable, text },
        { ...caller, text: callerText },
      ]),
    ).toEqual([
      expect.stringContaining("reusable-ci.yml is not a valid workflow"),
      expect.stringContaining("beta.yml is not a valid workflow"),
    ]);
  });

  it("the setup action validates against GitHub's action schema, and a broken one is reported", () => {
    expect(actionSchemaProblems(action)).toEqual([]);
    const text = action.text.replace("using: composite", "using: shell-script");
    expect(actionSchemaProblems({ text, doc: action.doc })).toEqual([
      expect.stringContaining("the setup action is not a valid action"),
    ]);
  });

  it("set permissions: {} at the top; the reusable ones run on workflow_call alone, with no workflow-level lock, in the project's folder", () => {
    expect(workflowFileProblems(files)).toEqual([]);
    const copy = brokenFiles((c) => {
      c.find((w) => w.file === "ci.yml")!.doc.permissions = "write-all";
      const reusable = c.find((w) => w.file === "reusable-release.yml")!;
      reusable.doc.on.push = { tags: ["v*"] };
      reusable.doc.concurrency = { group: "${{ github.workflow }}", "cancel-in-progress": false };
      job(c, "reusable-beta.yml", "skill").defaults = { run: { "working-directory": "." } };
    });
    expect(workflowFileProblems(copy)).toEqual([
      "ci.yml must set permissions: {} at the top, so every job states its own",
      "reusable-beta.yml job skill must run in project/${{ inputs.working-directory }}",
      "reusable-release.yml is reusable and must be triggered by workflow_call alone, not workflow_call, push",
      "reusable-release.yml sets a workflow-level concurrency group, which would be its caller's",
    ]);
  });
});

describe("reusable workflows and their callers", () => {
  it("declare every input and secret they refer to, require the secrets, and take stacks, folder and policy pack from inputs", () => {
    expect(interfaceProblems(files)).toEqual([]);
  });

  it("an undeclared input or secret, an optional secret or a literal stack is reported", () => {
    const copy = brokenFiles((c) => {
      const reusable = c.find((w) => w.file === "reusable-drift.yml")!;
      const call = reusable.doc.on.workflow_call as { secrets: Record<string, { required?: boolean }> };
      call.secrets.ASK_REFRESH_TOKEN!.required = false;
      job(c, "reusable-drift.yml", "live").steps!.push({ run: "echo", env: { X: "${{ inputs.stage }}" } });
      job(c, "reusable-ci.yml", "test").steps!.push({ run: "echo", env: { X: "${{ secrets.NPM_TOKEN }}" } });
      const preview = job(c, "reusable-ci.yml", "preview").steps!.find((s) => s.with?.command === "preview")!;
      preview.with = { ...preview.with, "stack-name": "dev" };
    });
    expect(interfaceProblems(copy)).toEqual([
      "reusable-ci.yml refers to secrets.NPM_TOKEN, which it does not declare",
      "reusable-ci.yml job preview names the stack dev: take it from the dev-stack or prod-stack input",
      "reusable-drift.yml refers to inputs.stage, which it does not declare",
      "reusable-drift.yml must require its secret ASK_REFRESH_TOKEN",
    ]);
  });

  it("are called by path, passing exactly the declared secrets by name, the required inputs, and the permissions the called jobs need", () => {
    expect(callProblems(files, "local")).toEqual([]);
  });

  it("secrets: inherit, another secret, a missing input, a wrong grant, a shared or cancelling lock, a remote path are reported", () => {
    const copy = brokenFiles((c) => {
      job(c, "beta.yml", "beta").secrets = "inherit";
      job(c, "ci.yml", "ci").secrets = {
        ...(job(c, "ci.yml", "ci").secrets as Record<string, string>),
        PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}",
      };
      const roll = job(c, "rollback.yml", "rollback");
      const { reason: _reason, ...withoutReason } = roll.with!;
      roll.with = { ...withoutReason, stage: "live" };
      job(c, "certification.yml", "certification").permissions = { contents: "read" };
      job(c, "release.yml", "release").concurrency = { group: "skillship-skill", "cancel-in-progress": true };
      job(c, "drift.yml", "drift").uses = "acme/skillship/.github/workflows/reusable-drift.yml@v1";
    });
    expect(callProblems(copy, "local")).toEqual([
      "beta.yml job beta passes every secret (secrets: inherit): pass only ASK_LWA_CLIENT_ID, ASK_LWA_CLIENT_SECRET, ASK_REFRESH_TOKEN, ASK_ACCOUNT_LINKING_CLIENT_SECRET",
      'certification.yml job certification grants [["contents","read"]], expected what its jobs need: [["contents","read"],["id-token","write"]]',
      "ci.yml job ci passes the secrets ASK_LWA_CLIENT_ID, ASK_LWA_CLIENT_SECRET, ASK_REFRESH_TOKEN, PULUMI_ACCESS_TOKEN, expected ASK_LWA_CLIENT_ID, ASK_LWA_CLIENT_SECRET, ASK_REFRESH_TOKEN",
      "drift.yml job drift calls acme/skillship/.github/workflows/reusable-drift.yml@v1: in this repository, call ./.github/workflows/reusable-drift.yml",
      "release.yml job release holds skillship-skill at the job level, a group its called jobs hold: a deadlock",
      "release.yml job release may cancel reusable-release.yml in progress (job-level cancel-in-progress), which writes a stage",
      "rollback.yml job rollback passes stage, which reusable-rollback.yml does not take",
      "rollback.yml job rollback does not pass reusable-rollback.yml's required input reason",
    ]);
  });
});

describe("triggers", () => {
  it("are what each called workflow needs, without pull_request_target", () => {
    expect(triggerProblems(files)).toEqual([]);
  });

  it("a pull_request_target trigger, a beta on main, a release on branches or a required version input is reported", () => {
    const copy = brokenFiles((c) => {
      c.find((w) => w.file === "ci.yml")!.doc.on.pull_request_target = {};
      (c.find((w) => w.file === "beta.yml")!.doc.on.push as { branches: string[] }).branches = ["main"];
      (c.find((w) => w.file === "release.yml")!.doc.on.push as { branches?: string[] }).branches = ["main"];
      const inputs = (
        c.find((w) => w.file === "rollback.yml")!.doc.on.workflow_dispatch as {
          inputs: Record<string, { required?: boolean }>;
        }
      ).inputs;
      inputs.version!.required = true;
      delete c.find((w) => w.file === "drift.yml")!.doc.on.schedule;
    });
    expect(triggerProblems(copy)).toEqual([
      "ci.yml triggers on pull_request_target",
      "ci.yml calls reusable-ci.yml on pull_request, pull_request_target, push, expected pull_request, push",
      "beta.yml must run on pushes to develop only",
      "release.yml must run on tags v* only",
      "rollback.yml needs an optional input version",
      "drift.yml calls reusable-drift.yml on workflow_dispatch, expected schedule, workflow_dispatch",
      "drift.yml needs a schedule",
    ]);
  });
});

describe("jobs", () => {
  it("all have a timeout", () => {
    expect(timeoutProblems(workflows)).toEqual([]);
    const copy = broken((c) => delete job(c, "reusable-release.yml", "release")["timeout-minutes"]);
    expect(timeoutProblems(copy)).toEqual([
      `${release} job release needs timeout-minutes between 1 and 90 (has undefined)`,
    ]);
  });

  it("start with Skillship's setup action, the repository in project/ and the setup there; the deploying ones leave a job summary", () => {
    expect(setupAndSummaryProblems(workflows, context)).toEqual([]);
    const copy = broken((c) => {
      const deploy = job(c, "reusable-beta.yml", "deploy");
      deploy.steps = deploy.steps!.map((s) =>
        s.uses?.startsWith("pulumi/actions") ? { ...s, with: { ...s.with, "comment-on-summary": false } } : s,
      );
      job(c, "reusable-ci.yml", "test").steps!.splice(1, 1);
      const own = job(c, "reusable-drift.yml", "live").steps![0]!;
      own.with = { ...own.with, ref: "main" };
      delete job(c, "reusable-rollback.yml", "rollback").defaults;
    });
    expect(setupAndSummaryProblems(copy, context)).toEqual([
      `${beta} job deploy deploys but leaves no job summary`,
      `${ci} job test must then check out the repository into project/`,
      `${drift} job live must start by checking out Skillship's setup action (.github/actions/ only) from job.workflow_repository at job.workflow_sha`,
      `${rollback} job rollback must set up and run in the project's folder under project/ (setup working-directory project/., defaults.run undefined)`,
    ]);
  });
});

describe("permissions", () => {
  it("are the least each job needs", () => {
    expect(permissionProblems(workflows)).toEqual([]);
  });

  it("an extra write or a missing id-token for a role is reported", () => {
    const copy = broken((c) => {
      job(c, "reusable-ci.yml", "test").permissions = { contents: "write" };
      job(c, "reusable-release.yml", "release").permissions = { contents: "read" };
    });
    expect(permissionProblems(copy)).toEqual([
      `${ci} job test has permissions [["contents","write"]], expected [["contents","read"]]`,
      `${release} job release has permissions [["contents","read"]], expected [["contents","read"],["id-token","write"]]`,
    ]);
  });
});

describe("environments, roles and Login with Amazon secrets", () => {
  it("the release role and live-stage commands only in production; LWA secrets only where an environment owns them", () => {
    expect(environmentProblems(workflows, context)).toEqual([]);
  });

  it("every job with LWA secrets is in an environment; the release job is in production", () => {
    const withLwa = workflows.flatMap((w) =>
      Object.entries(w.doc.jobs)
        .filter(([, j]) => lwaSecrets.some((s) => JSON.stringify(j).includes(`secrets.${s}`)))
        .map(([id, j]) => `${w.file}:${id}:${String(j.environment)}`),
    );
    expect(withLwa.sort()).toEqual([
      `${beta}:skill:beta`,
      `${certification}:publish:production`,
      `${certification}:watch:beta`,
      `${ci}:skill-diff:preview`,
      `${drift}:development:preview`,
      `${drift}:live:preview`,
      `${release}:release:production`,
      `${rollback}:rollback:production`,
    ]);
  });

  it("a release outside production, a beta role in an environment, a publish in beta or the preview role elsewhere is reported", () => {
    const copy = broken((c) => {
      delete job(c, "reusable-release.yml", "release").environment;
      job(c, "reusable-beta.yml", "deploy").environment = "beta";
      const watch = job(c, "reusable-certification.yml", "watch");
      watch.steps!.push({
        run: 'skillship publish --outputs "$RUNNER_TEMP/outputs.json"',
        env: { X: "${{ secrets.ASK_REFRESH_TOKEN }}" },
      });
      job(c, "reusable-drift.yml", "development").environment = "beta";
    });
    expect(environmentProblems(copy, context)).toEqual([
      `${beta} job deploy assumes the beta role in environment beta`,
      `${certification} job watch runs skillship publish outside environment production`,
      `${certification} job watch runs skillship publish in environment beta`,
      `${drift} job development assumes the preview role outside pull requests and environment preview (in environment beta)`,
      `${drift} job development runs skillship drift in environment beta`,
      `${release} job release assumes the release role outside environment production`,
      `${release} job release runs skillship release outside environment production`,
      `${release} job release uses Login with Amazon secrets outside an environment that owns them`,
    ]);
  });
});

describe("secrets", () => {
  it("reach only the steps that run skillship, and no script pastes an expression or expands a secret", () => {
    expect(secretProblems(workflows, context)).toEqual([]);
  });

  it("a secret in a job's env, in a script or echoed is reported", () => {
    const copy = broken((c) => {
      const roll = job(c, "reusable-rollback.yml", "rollback");
      roll.env = { ...roll.env, ASK_REFRESH_TOKEN: "${{ secrets.ASK_REFRESH_TOKEN }}" };
      roll.steps!.push({ name: "leak", run: 'echo "$ASK_REFRESH_TOKEN"' });
      roll.steps!.push({ name: "inject", run: 'echo "${{ inputs.reason }}"' });
      job(c, "reusable-release.yml", "release").steps!.push({
        name: "pulumi with secrets",
        run: "pulumi stack output --json --stack prod",
        env: { ASK_LWA_CLIENT_SECRET: "${{ secrets.ASK_LWA_CLIENT_SECRET }}" },
      });
    });
    expect(secretProblems(copy, context)).toEqual([
      `${release} job release step "pulumi with secrets" gets Login with Amazon secrets but runs no skillship command`,
      `${rollback} job rollback puts ASK_REFRESH_TOKEN in the job's env: only the steps that run skillship may have it`,
      `${rollback} job rollback step "leak" expands a secret on a command line: $ASK_REFRESH_TOKEN`,
      `${rollback} job rollback step "inject" pastes an expression into its script: pass it through env instead`,
    ]);
  });
});

describe("pull requests from forks", () => {
  it("cannot reach a secret, a role or an environment", () => {
    expect(forkProblems(workflows)).toEqual([]);
  });

  it("a job that reaches a secret without the same-repository condition is reported", () => {
    const copy = broken((c) => {
      job(c, "reusable-ci.yml", "preview").if = "github.event_name == 'pull_request'";
      job(c, "reusable-ci.yml", "skill-diff").if =
        `github.event.pull_request.head.repo.full_name == github.repository || true`;
    });
    expect(forkProblems(copy)).toEqual([
      expect.stringContaining(`${ci} job preview reaches secrets or the cloud`),
      expect.stringContaining(`${ci} job skill-diff reaches secrets or the cloud`),
    ]);
  });
});

describe("concurrency (issue 12, part 4)", () => {
  it("every job that writes a skill stage shares one lock; the dev stack's deploy has its own; none is cancelled", () => {
    expect(concurrencyProblems(workflows, context)).toEqual([]);
    const writers = workflows.flatMap((w) =>
      Object.entries(w.doc.jobs)
        .filter(
          ([, j]) =>
            (typeof j.concurrency === "object" ? j.concurrency.group : j.concurrency) === "skillship-skill",
        )
        .map(([id]) => `${w.file}:${id}`),
    );
    expect(writers.sort()).toEqual([
      `${beta}:skill`,
      `${certification}:publish`,
      `${certification}:watch`,
      `${release}:release`,
      `${rollback}:rollback`,
    ]);
  });

  it("the beta's stage writes under another lock than the release's, a cancelled deploy, or a second stack are reported", () => {
    const copy = broken((c) => {
      job(c, "reusable-beta.yml", "skill").concurrency = {
        group: "skillship-stack-dev",
        "cancel-in-progress": false,
      };
      job(c, "reusable-beta.yml", "deploy").concurrency = {
        group: "skillship-stack-dev",
        "cancel-in-progress": true,
      };
      job(c, "reusable-rollback.yml", "rollback").concurrency = {
        group: "rollback",
        "cancel-in-progress": false,
      };
      job(c, "reusable-release.yml", "release").steps!.push({
        uses: "pulumi/actions@8582a9e8cc630786854029b4e09281acd6794b58",
        with: { command: "up", "stack-name": "dev" },
      });
    });
    expect(concurrencyProblems(copy, context)).toEqual([
      `${beta} job deploy is in skillship-stack-dev and must set cancel-in-progress: false`,
      `${beta} job skill writes a skill stage (deploy-model) outside concurrency group skillship-skill`,
      `${release} job release deploys dev and writes a skill stage: one lock per job`,
      `${rollback} job rollback writes a skill stage (rollback, withdraw) outside concurrency group skillship-skill`,
    ]);
  });
});

describe("the admin stack (issue 12, part 1)", () => {
  it("is never previewed, deployed or read by a workflow", () => {
    expect(adminStackProblems(workflows)).toEqual([]);
  });

  it("a preview of it, its outputs read, a caller naming it as a stack, or a Pulumi step without a stack are reported", () => {
    const copy = broken((c) => {
      const preview = job(c, "reusable-ci.yml", "preview");
      preview.steps!.push({
        uses: "pulumi/actions@8582a9e8cc630786854029b4e09281acd6794b58",
        with: { command: "preview", "stack-name": "admin" },
      });
      preview.steps!.push({
        run: "pulumi stack output --json --stack organization/skillship/admin > a.json",
      });
      job(c, "reusable-beta.yml", "deploy").steps!.push({ run: "pulumi stack output --json" });
      job(c, "drift.yml", "drift").with = { ...job(c, "drift.yml", "drift").with, "prod-stack": "admin" };
    });
    expect(adminStackProblems(copy)).toEqual([
      `${beta} job deploy runs Pulumi on (the selected stack): workflows touch the app stacks only`,
      `${ci} job preview runs Pulumi on admin: workflows touch the app stacks only`,
      `${ci} job preview runs Pulumi on organization/skillship/admin: workflows touch the app stacks only`,
      `${drift} job live runs Pulumi on admin: workflows touch the app stacks only`,
      `${drift} job live runs Pulumi on admin: workflows touch the app stacks only`,
    ]);
  });
});

describe("pull requests and secrets (issue 12, part 1)", () => {
  it("see no secret but the preview environment's read-only token, and nothing holds a standing Pulumi token", () => {
    expect(pullRequestSecretProblems(workflows, action)).toEqual([]);
  });

  it("a standing Pulumi token, a deploying role, another team or another secret in a pull request job are reported", () => {
    const copy = broken((c) => {
      const preview = job(c, "reusable-ci.yml", "preview");
      const setup = preview.steps!.find((s) => s.uses === "./.github/actions/setup")!;
      setup.with = {
        ...setup.with,
        "aws-role-arn": "${{ vars.SKILLSHIP_RELEASE_ROLE_ARN }}",
        "pulumi-team": "skillship-release",
      };
      preview.steps!.push({
        run: "pulumi stack output --stack dev",
        env: { T: "${{ secrets.PULUMI_ACCESS_TOKEN }}" },
      });
      job(c, "reusable-ci.yml", "skill-diff").steps!.push({
        run: "skillship diff --stage development --outputs o.json",
        env: { X: "${{ secrets.GITHUB_ADMIN_TOKEN }}" },
      });
    });
    const text = action.text.replace(
      'default: ""\n  pulumi-organization:',
      'default: ""\n  pulumi-access-token:\n    default: ${{ secrets.PULUMI_ACCESS_TOKEN }}\n  pulumi-organization:',
    );
    expect(pullRequestSecretProblems(copy, { ...action, text })).toEqual([
      "the setup action takes a standing Pulumi access token",
      `${ci} job preview uses a standing PULUMI_ACCESS_TOKEN secret: use the OIDC exchange instead`,
      `${ci} job preview lets pull requests see secret PULUMI_ACCESS_TOKEN: only environment preview's read-only Login with Amazon token may reach them`,
      `${ci} job preview gives pull requests a role other than the read-only preview role`,
      `${ci} job preview gives pull requests the Pulumi Cloud team skillship-release`,
      `${ci} job skill-diff lets pull requests see secret GITHUB_ADMIN_TOKEN: only environment preview's read-only Login with Amazon token may reach them`,
    ]);
  });
});

describe("the drift check (issue 14, part 4)", () => {
  it("checks both app stacks and both stages, read-only: the preview role, previews that expect no changes, no stage writer, no lock", () => {
    expect(driftProblems(workflows, context)).toEqual([]);
  });

  it("a write role, a pulumi up, a stage-writing command, a lock or a stage left out is reported", () => {
    const copy = broken((c) => {
      const live = job(c, "reusable-drift.yml", "live");
      const setup = live.steps!.find((s) => s.uses === "./.github/actions/setup")!;
      setup.with = { ...setup.with, "aws-role-arn": "${{ vars.SKILLSHIP_RELEASE_ROLE_ARN }}" };
      live.steps = live.steps!.map((s) =>
        s.with?.command === "preview" ? { ...s, with: { ...s.with, command: "up" } } : s,
      );
      live.steps = live.steps.filter((s) => !(s.run ?? "").startsWith("skillship drift"));
      live.steps.push({
        run: 'skillship deploy-model --stage development --outputs "$RUNNER_TEMP/outputs.json"',
      });
      job(c, "reusable-drift.yml", "development").concurrency = {
        group: "skillship-skill",
        "cancel-in-progress": false,
      };
    });
    expect(driftProblems(copy, context)).toEqual([
      `${drift} job development comments or holds a lock: drift only reads`,
      `${drift} job live assumes a role other than the read-only preview role`,
      `${drift} job live runs pulumi up: drift only previews, expecting no changes`,
      `${drift} job live runs skillship deploy-model: drift runs only drift and build`,
      `${drift} does not check the prod stack for drift`,
      `${drift} does not check the live stage for drift`,
    ]);
  });
});

describe("outcomes (issue 12, part 6)", () => {
  it("the release, publish and certification watch jobs post theirs to the alert topic, whatever it is", () => {
    expect(notifyProblems(workflows, context)).toEqual([]);
  });

  it("a missing post, or one only on success, is reported", () => {
    const copy = broken((c) => {
      const rel = job(c, "reusable-release.yml", "release");
      rel.steps = rel.steps!.filter((s) => !(s.run ?? "").startsWith("aws sns publish"));
      const publish = job(c, "reusable-certification.yml", "publish");
      publish.steps!.find((s) => (s.run ?? "").startsWith("aws sns publish"))!.if = "success()";
    });
    expect(notifyProblems(copy, context)).toEqual([
      `${certification} job publish posts its outcome only on success: the step needs if: always()`,
      `${release} job release runs skillship release, status but posts no outcome to the alert topic`,
    ]);
  });
});

describe("the prod pulumi up", () => {
  it("refreshes", () => {
    expect(refreshProblems(workflows)).toEqual([]);
  });

  it("without refresh is reported", () => {
    const copy = broken((c) => {
      for (const step of job(c, "reusable-release.yml", "release").steps!) {
        if (step.uses?.startsWith("pulumi/actions")) delete step.with!.refresh;
      }
    });
    expect(refreshProblems(copy)).toEqual([
      `${release} job release runs pulumi up on prod without refresh: true`,
    ]);
  });
});

describe("step and job outputs", () => {
  it("are referred to by the names their steps and jobs declare", () => {
    expect(referenceProblems(workflows)).toEqual([]);
  });

  it("a renamed step id or job output is reported", () => {
    const copy = broken((c) => {
      const watch = job(c, "reusable-certification.yml", "watch");
      watch.steps!.find((s) => s.id === "watch")!.id = "look";
      job(c, "reusable-certification.yml", "publish").if = "needs.watch.outputs.ready == 'true'";
    });
    expect(referenceProblems(copy)).toEqual([
      `${certification} job watch refers to steps.watch, which it does not have`,
      `${certification} job publish refers to needs.watch.outputs.ready, which that job does not declare`,
    ]);
  });
});

describe("the CrossGuard policy pack", () => {
  it("runs with every preview and every pulumi up of this repository's callers", () => {
    expect(policyPackProblems(workflows)).toEqual([]);
  });

  it("a caller that does not pass it is reported", () => {
    const copy = broken((c) => {
      delete job(c, "beta.yml", "beta").with;
    });
    expect(policyPackProblems(copy)).toEqual([
      `${beta} job deploy runs pulumi up without the policy pack infra/policies`,
    ]);
  });
});

describe("actions (issue 12, part 8)", () => {
  it("are pinned to verified commits with their release as a comment, exist, and checkouts keep no token", () => {
    expect(actionRefProblems(files, action)).toEqual([]);
    expect(actionRefProblems(workflows, action)).toEqual([]);
  });

  it("a tag, an unverified commit, a wrong comment, a missing local action or a checkout keeping its token is reported", () => {
    const reusable = files.find((w) => w.file === "reusable-ci.yml")!;
    const text = reusable.text
      .replace("actions/checkout@fbc6f3992d24b796d5a048ff273f7fcc4a7b6c09 # v5.1.0", "actions/checkout@v5")
      .replace(
        "actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v4.6.2",
        "actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 # v7.0.0",
      )
      .replace(
        "marocchino/sticky-pull-request-comment@773744901bac0e8cbb5a0dc842800d45e9b2b405 # v2.9.4",
        "marocchino/sticky-pull-request-comment@0000000000000000000000000000000000000000 # v2.9.4",
      )
      .concat("      - uses: ./.github/actions/nowhere\n");
    const doc = structuredClone(reusable.doc);
    doc.jobs.test!.steps![1] = { uses: "actions/checkout@v5", with: { path: "project" } };
    const copy = files.map((w) => (w.file === "reusable-ci.yml" ? { ...w, text, doc } : w));
    expect(actionRefProblems(copy, action)).toEqual([
      "reusable-ci.yml uses actions/checkout@v5: pin the commit SHA, its release as a comment",
      'reusable-ci.yml uses actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 with comment "v7.0.0": that commit is v4.6.2',
      "reusable-ci.yml uses marocchino/sticky-pull-request-comment@0000000000000000000000000000000000000000: a commit not among the verified pins (test/github/support/pins.ts)",
      "reusable-ci.yml uses ./.github/actions/nowhere, which does not exist",
      "reusable-ci.yml job test checks out with persist-credentials left on",
    ]);
  });

  it("upload-artifact and download-artifact stay on one major", () => {
    expect(artifactMajorProblems(files)).toEqual([]);
    const reusable = files.find((w) => w.file === "reusable-beta.yml")!;
    const text = reusable.text.replace(
      /actions\/download-artifact@\S+ # v4\.3\.0/,
      "actions/download-artifact@3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c # v8.0.1",
    );
    expect(artifactMajorProblems(files.map((w) => (w === reusable ? { ...w, text } : w)))).toEqual([
      "upload-artifact and download-artifact are on majors v4 and v8",
    ]);
  });
});

describe("Dependabot", () => {
  it("keeps the pinned actions of the workflows and of the setup action, and the npm dependencies, up to date", () => {
    const config = parse(readFileSync(join(repoRoot, ".github", "dependabot.yml"), "utf8")) as {
      updates: { "package-ecosystem": string; directories?: string[]; directory?: string }[];
    };
    const actions = config.updates.find((u) => u["package-ecosystem"] === "github-actions");
    expect(actions?.directories).toEqual(expect.arrayContaining(["/", "/.github/actions/setup"]));
    const npm = config.updates.find((u) => u["package-ecosystem"] === "npm");
    expect(npm?.directory ?? npm?.directories?.[0]).toBe("/");
  });
});

describe("the setup action", () => {
  it("installs the project's Node with the npm cache, runs npm ci before credentials, puts the project's skillship on PATH, assumes a role through OIDC, logs in to Pulumi", () => {
    expect(setupActionProblems(action)).toEqual([]);
    expect(parse(action.text)).toEqual(action.doc);
  });

  it("credentials before npm ci, long-lived keys or no Pulumi Cloud login are reported", () => {
    const copy = brokenAction((doc) => {
      const steps = doc.runs.steps;
      const aws = steps.findIndex((s) => s.uses?.startsWith("aws-actions/"));
      const [awsStep] = steps.splice(aws, 1);
      awsStep!.with = { ...awsStep!.with, "aws-secret-access-key": "${{ inputs.key }}" };
      steps.unshift(awsStep!);
      doc.runs.steps = steps.filter((s) => !(s.if ?? "").includes("pulumi-backend-url == ''"));
    });
    expect(setupActionProblems(copy)).toEqual([
      "the setup action must run npm ci before AWS credentials exist",
      "the setup action must not take long-lived AWS keys",
      "the setup action must log in to Pulumi Cloud otherwise, with a token from skillship pulumi-token first",
    ]);
  });

  it("a Node version from elsewhere, npm ci outside the project or no skillship on PATH is reported", () => {
    const copy = brokenAction((doc) => {
      const steps = doc.runs.steps;
      const node = steps.find((s) => s.uses?.startsWith("actions/setup-node"))!;
      node.with = { ...node.with, "node-version-file": ".nvmrc" };
      delete steps.find((s) => (s.run ?? "").startsWith("npm ci"))!["working-directory"];
      doc.runs.steps = steps.filter((s) => !(s.run ?? "").includes("GITHUB_PATH"));
    });
    expect(setupActionProblems(copy)).toEqual([
      "the setup action must install the Node version the project names (working-directory/node-version-file) with the npm cache of its lockfile",
      "the setup action must run npm ci in the project's folder",
      "the setup action must put the project's node_modules/.bin (its skillship) on PATH before it runs skillship",
    ]);
  });

  it("a standing Pulumi token instead of the OIDC exchange is reported", () => {
    const copy = brokenAction((doc) => {
      doc.inputs["pulumi-access-token"] = { required: false, default: "" };
      doc.runs.steps = doc.runs.steps.filter((s) => !(s.run ?? "").includes("pulumi-token"));
      doc.runs.steps.find((s) => (s.name ?? "").startsWith("Log in to Pulumi Cloud"))!.env = {
        PULUMI_ACCESS_TOKEN: "${{ inputs.pulumi-access-token }}",
      };
    });
    expect(setupActionProblems(copy)).toEqual([
      "the setup action must log in to Pulumi Cloud otherwise, with a token from skillship pulumi-token first",
      "the setup action must not take a Pulumi access token: the OIDC exchange provides one",
    ]);
  });
});
