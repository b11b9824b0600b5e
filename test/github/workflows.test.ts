// Over 350 lines on purpose: one test per pipeline rule, each also run on a copy broken on purpose.
/**
 * The delivery pipeline's workflows: valid against GitHub's schema, and every rule of the pipeline asserted from
 * the parsed YAML. Each rule is also run on a copy broken on purpose, to prove it can fail.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { buildProgram } from "../../scripts/cli";
import type { RunContext } from "./support/run-commands";
import {
  actionRefProblems,
  actionSchemaProblems,
  adminStackProblems,
  artifactMajorProblems,
  concurrencyProblems,
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
  triggerProblems,
} from "./support/rules";
import {
  cloneWorkflows,
  loadSetupAction,
  loadWorkflows,
  repoRoot,
  type Job,
  type LoadedWorkflow,
  type SetupAction,
} from "./support/workflows";

const workflows = loadWorkflows();
const action = loadSetupAction();
const context: RunContext = {
  scripts: (
    JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { scripts: Record<string, string> }
  ).scripts,
  program: buildProgram(),
};

function job(copy: LoadedWorkflow[], file: string, id: string): Job {
  const found = copy.find((w) => w.file === file)?.doc.jobs[id];
  if (!found) throw new Error(`test setup: ${file} has no job ${id}`);
  return found;
}

function broken(mutate: (copy: LoadedWorkflow[]) => void): LoadedWorkflow[] {
  const copy = cloneWorkflows(workflows);
  mutate(copy);
  return copy;
}

function brokenAction(mutate: (doc: SetupAction["doc"]) => void): SetupAction {
  const doc = structuredClone(action.doc);
  mutate(doc);
  return { text: action.text, doc };
}

describe("the workflow files", () => {
  it("are the five the pipeline needs", () => {
    expect(workflows.map((w) => w.file)).toEqual([
      "beta.yml",
      "certification.yml",
      "ci.yml",
      "release.yml",
      "rollback.yml",
    ]);
  });

  it("validate against GitHub's workflow schema", () => {
    expect(schemaProblems(workflows)).toEqual([]);
  });

  it("a workflow that breaks the schema is reported", () => {
    const ci = workflows.find((w) => w.file === "ci.yml")!;
    const text = ci.text
      .replace("runs-on: ubuntu-latest", "runs-on: [[ubuntu-latest")
      .replace(/^on:/m, "onn:");
    expect(schemaProblems([{ ...ci, text, doc: ci.doc }])).toEqual([
      expect.stringContaining("ci.yml is not a valid workflow"),
    ]);
  });

  it("the setup action validates against GitHub's action schema, and a broken one is reported", () => {
    expect(actionSchemaProblems(action)).toEqual([]);
    const text = action.text.replace("using: composite", "using: shell-script");
    expect(actionSchemaProblems({ text, doc: action.doc })).toEqual([
      expect.stringContaining("the setup action is not a valid action"),
    ]);
  });
});

describe("triggers", () => {
  it("are those of the issue, without pull_request_target", () => {
    expect(triggerProblems(workflows)).toEqual([]);
  });

  it("a pull_request_target trigger, a beta on main or a required version input is reported", () => {
    const copy = broken((c) => {
      c.find((w) => w.file === "ci.yml")!.doc.on.pull_request_target = {};
      (c.find((w) => w.file === "beta.yml")!.doc.on.push as { branches: string[] }).branches = ["main"];
      const inputs = (
        c.find((w) => w.file === "rollback.yml")!.doc.on.workflow_dispatch as {
          inputs: Record<string, { required?: boolean }>;
        }
      ).inputs;
      inputs.version!.required = true;
    });
    expect(triggerProblems(copy)).toEqual(
      expect.arrayContaining([
        expect.stringContaining("ci.yml triggers on pull_request, pull_request_target, push"),
        "ci.yml triggers on pull_request_target",
        "beta.yml must run on pushes to develop only",
        "rollback.yml needs an optional input version",
      ]),
    );
  });
});

describe("jobs", () => {
  it("all have a timeout", () => {
    expect(timeoutProblems(workflows)).toEqual([]);
    const copy = broken((c) => delete job(c, "release.yml", "release")["timeout-minutes"]);
    expect(timeoutProblems(copy)).toEqual([
      "release.yml job release needs timeout-minutes between 1 and 90 (has undefined)",
    ]);
  });

  it("start with checkout and the shared setup; the deploying ones leave a job summary", () => {
    expect(setupAndSummaryProblems(workflows, context)).toEqual([]);
    const copy = broken((c) => {
      const deploy = job(c, "beta.yml", "deploy");
      deploy.steps = deploy.steps!.map((s) =>
        s.uses?.startsWith("pulumi/actions") ? { ...s, with: { ...s.with, "comment-on-summary": false } } : s,
      );
      job(c, "ci.yml", "test").steps!.splice(1, 1);
    });
    expect(setupAndSummaryProblems(copy, context)).toEqual([
      "beta.yml job deploy deploys but leaves no job summary",
      "ci.yml job test must start with actions/checkout and then ./.github/actions/setup",
    ]);
  });
});

describe("permissions", () => {
  it("are the least each job needs", () => {
    expect(permissionProblems(workflows)).toEqual([]);
  });

  it("an extra write, a missing id-token for a role or a workflow-level grant is reported", () => {
    const copy = broken((c) => {
      job(c, "ci.yml", "test").permissions = { contents: "write" };
      job(c, "release.yml", "release").permissions = { contents: "read" };
      c.find((w) => w.file === "rollback.yml")!.doc.permissions = "write-all";
    });
    expect(permissionProblems(copy)).toEqual([
      "rollback.yml must set permissions: {} at the top, so every job states its own",
      'ci.yml job test has permissions [["contents","write"]], expected [["contents","read"]]',
      'release.yml job release has permissions [["contents","read"]], expected [["contents","read"],["id-token","write"]]',
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
      "beta.yml:skill:beta",
      "certification.yml:publish:production",
      "certification.yml:watch:beta",
      "ci.yml:skill-diff:preview",
      "release.yml:release:production",
      "rollback.yml:rollback:production",
    ]);
  });

  it("a release outside production, a beta role in an environment or a publish in beta is reported", () => {
    const copy = broken((c) => {
      delete job(c, "release.yml", "release").environment;
      job(c, "beta.yml", "deploy").environment = "beta";
      const watch = job(c, "certification.yml", "watch");
      watch.steps!.push({
        run: "npm run skillship -- publish --outputs outputs.json",
        env: { X: "${{ secrets.ASK_REFRESH_TOKEN }}" },
      });
    });
    expect(environmentProblems(copy, context)).toEqual([
      "beta.yml job deploy assumes the beta role in environment beta",
      "certification.yml job watch runs skillship publish outside environment production",
      "certification.yml job watch runs skillship publish in environment beta",
      "release.yml job release assumes the release role outside environment production",
      "release.yml job release runs skillship release outside environment production",
      "release.yml job release uses Login with Amazon secrets outside an environment that owns them",
    ]);
  });
});

describe("secrets", () => {
  it("reach only the steps that run skillship, and no script pastes an expression or expands a secret", () => {
    expect(secretProblems(workflows, context)).toEqual([]);
  });

  it("a secret in a job's env, in a script or echoed is reported", () => {
    const copy = broken((c) => {
      const rollback = job(c, "rollback.yml", "rollback");
      rollback.env = { ...rollback.env, ASK_REFRESH_TOKEN: "${{ secrets.ASK_REFRESH_TOKEN }}" };
      rollback.steps!.push({ name: "leak", run: 'echo "$ASK_REFRESH_TOKEN"' });
      rollback.steps!.push({ name: "inject", run: 'echo "${{ inputs.reason }}"' });
      job(c, "release.yml", "release").steps!.push({
        name: "pulumi with secrets",
        run: "pulumi stack output --json --stack prod",
        env: { ASK_LWA_CLIENT_SECRET: "${{ secrets.ASK_LWA_CLIENT_SECRET }}" },
      });
    });
    expect(secretProblems(copy, context)).toEqual([
      'release.yml job release step "pulumi with secrets" gets Login with Amazon secrets but runs no skillship command',
      "rollback.yml job rollback puts ASK_REFRESH_TOKEN in the job's env: only the steps that run skillship may have it",
      'rollback.yml job rollback step "leak" expands a secret on a command line: $ASK_REFRESH_TOKEN',
      'rollback.yml job rollback step "inject" pastes an expression into its script: pass it through env instead',
    ]);
  });
});

describe("pull requests from forks", () => {
  it("cannot reach a secret, a role or an environment", () => {
    expect(forkProblems(workflows)).toEqual([]);
  });

  it("a job that reaches a secret without the same-repository condition is reported", () => {
    const copy = broken((c) => {
      job(c, "ci.yml", "preview").if = "github.event_name == 'pull_request'";
      job(c, "ci.yml", "skill-diff").if =
        `github.event.pull_request.head.repo.full_name == github.repository || true`;
    });
    expect(forkProblems(copy)).toEqual([
      expect.stringContaining("ci.yml job preview reaches secrets or the cloud"),
      expect.stringContaining("ci.yml job skill-diff reaches secrets or the cloud"),
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
      "beta.yml:skill",
      "certification.yml:publish",
      "certification.yml:watch",
      "release.yml:release",
      "rollback.yml:rollback",
    ]);
  });

  it("the beta's stage writes under another lock than the release's, a cancelled deploy, or a second stack are reported", () => {
    const copy = broken((c) => {
      job(c, "beta.yml", "skill").concurrency = { group: "skillship-stack-dev", "cancel-in-progress": false };
      job(c, "beta.yml", "deploy").concurrency = { group: "skillship-stack-dev", "cancel-in-progress": true };
      job(c, "rollback.yml", "rollback").concurrency = { group: "rollback", "cancel-in-progress": false };
      job(c, "release.yml", "release").steps!.push({
        uses: "pulumi/actions@8582a9e8cc630786854029b4e09281acd6794b58",
        with: { command: "up", "stack-name": "dev" },
      });
    });
    expect(concurrencyProblems(copy, context)).toEqual([
      "beta.yml job deploy is in skillship-stack-dev and must set cancel-in-progress: false",
      "beta.yml job skill writes a skill stage (deploy-model) outside concurrency group skillship-skill",
      "release.yml job release deploys dev and writes a skill stage: one lock per job",
      "rollback.yml job rollback writes a skill stage (rollback, withdraw) outside concurrency group skillship-skill",
    ]);
  });
});

describe("the admin stack (issue 12, part 1)", () => {
  it("is never previewed, deployed or read by a workflow", () => {
    expect(adminStackProblems(workflows)).toEqual([]);
  });

  it("a preview of it, its outputs read, or a Pulumi step without a stack are reported", () => {
    const copy = broken((c) => {
      const preview = job(c, "ci.yml", "preview");
      preview.steps!.push({
        uses: "pulumi/actions@8582a9e8cc630786854029b4e09281acd6794b58",
        with: { command: "preview", "stack-name": "admin" },
      });
      preview.steps!.push({
        run: "pulumi stack output --json --stack organization/skillship/admin > a.json",
      });
      job(c, "beta.yml", "deploy").steps!.push({ run: "pulumi stack output --json" });
    });
    expect(adminStackProblems(copy)).toEqual([
      "beta.yml job deploy runs Pulumi on (the selected stack): workflows touch the app stacks only",
      "ci.yml job preview runs Pulumi on admin: workflows touch the app stacks only",
      "ci.yml job preview runs Pulumi on organization/skillship/admin: workflows touch the app stacks only",
    ]);
  });
});

describe("pull requests and secrets (issue 12, part 1)", () => {
  it("see no secret but the preview environment's read-only token, and nothing holds a standing Pulumi token", () => {
    expect(pullRequestSecretProblems(workflows, action)).toEqual([]);
  });

  it("a standing Pulumi token, a deploying role, another team or another secret in a pull request job are reported", () => {
    const copy = broken((c) => {
      const preview = job(c, "ci.yml", "preview");
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
      job(c, "ci.yml", "skill-diff").steps!.push({
        run: "npm run skillship -- diff --stage development --outputs o.json",
        env: { X: "${{ secrets.GITHUB_ADMIN_TOKEN }}" },
      });
    });
    const text = action.text.replace(
      'default: ""\n  pulumi-organization:',
      'default: ""\n  pulumi-access-token:\n    default: ${{ secrets.PULUMI_ACCESS_TOKEN }}\n  pulumi-organization:',
    );
    expect(pullRequestSecretProblems(copy, { ...action, text })).toEqual([
      "the setup action takes a standing Pulumi access token",
      "ci.yml job preview uses a standing PULUMI_ACCESS_TOKEN secret: use the OIDC exchange instead",
      "ci.yml job preview lets pull requests see secret PULUMI_ACCESS_TOKEN: only environment preview's read-only Login with Amazon token may reach them",
      "ci.yml job preview gives pull requests a role other than the read-only preview role",
      "ci.yml job preview gives pull requests the Pulumi Cloud team skillship-release",
      "ci.yml job skill-diff lets pull requests see secret GITHUB_ADMIN_TOKEN: only environment preview's read-only Login with Amazon token may reach them",
    ]);
  });
});

describe("outcomes (issue 12, part 6)", () => {
  it("the release, publish and certification watch jobs post theirs to the alert topic, whatever it is", () => {
    expect(notifyProblems(workflows, context)).toEqual([]);
  });

  it("a missing post, or one only on success, is reported", () => {
    const copy = broken((c) => {
      const release = job(c, "release.yml", "release");
      release.steps = release.steps!.filter((s) => !(s.run ?? "").startsWith("aws sns publish"));
      const publish = job(c, "certification.yml", "publish");
      publish.steps!.find((s) => (s.run ?? "").startsWith("aws sns publish"))!.if = "success()";
    });
    expect(notifyProblems(copy, context)).toEqual([
      "certification.yml job publish posts its outcome only on success: the step needs if: always()",
      "release.yml job release runs skillship release, status but posts no outcome to the alert topic",
    ]);
  });
});

describe("the prod pulumi up", () => {
  it("refreshes", () => {
    expect(refreshProblems(workflows)).toEqual([]);
  });

  it("without refresh is reported", () => {
    const copy = broken((c) => {
      for (const step of job(c, "release.yml", "release").steps!) {
        if (step.uses?.startsWith("pulumi/actions")) delete step.with!.refresh;
      }
    });
    expect(refreshProblems(copy)).toEqual([
      "release.yml job release runs pulumi up on prod without refresh: true",
    ]);
  });
});

describe("step and job outputs", () => {
  it("are referred to by the names their steps and jobs declare", () => {
    expect(referenceProblems(workflows)).toEqual([]);
  });

  it("a renamed step id or job output is reported", () => {
    const copy = broken((c) => {
      const watch = job(c, "certification.yml", "watch");
      watch.steps!.find((s) => s.id === "watch")!.id = "look";
      job(c, "certification.yml", "publish").if = "needs.watch.outputs.ready == 'true'";
    });
    expect(referenceProblems(copy)).toEqual([
      "certification.yml job watch refers to steps.watch, which it does not have",
      "certification.yml job publish refers to needs.watch.outputs.ready, which that job does not declare",
    ]);
  });
});

describe("the CrossGuard policy pack", () => {
  it("runs with every preview and every pulumi up", () => {
    expect(policyPackProblems(workflows)).toEqual([]);
  });

  it("a pulumi up without it is reported", () => {
    const copy = broken((c) => {
      for (const step of job(c, "beta.yml", "deploy").steps!) {
        if (step.uses?.startsWith("pulumi/actions")) delete step.with!.policyPacks;
      }
    });
    expect(policyPackProblems(copy)).toEqual([
      "beta.yml job deploy runs pulumi up without the policy pack infra/policies",
    ]);
  });
});

describe("actions (issue 12, part 8)", () => {
  it("are pinned to verified commits with their release as a comment, exist, and checkouts keep no token", () => {
    expect(actionRefProblems(workflows, action)).toEqual([]);
  });

  it("a tag, an unverified commit, a wrong comment, a missing local action or a checkout keeping its token is reported", () => {
    const ci = workflows.find((w) => w.file === "ci.yml")!;
    const text = ci.text
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
    const doc = structuredClone(ci.doc);
    doc.jobs.test!.steps![0] = { uses: "actions/checkout@v5" };
    const copy = workflows.map((w) => (w.file === "ci.yml" ? { ...w, text, doc } : w));
    expect(actionRefProblems(copy, action)).toEqual([
      "ci.yml uses actions/checkout@v5: pin the commit SHA, its release as a comment",
      'ci.yml uses actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02 with comment "v7.0.0": that commit is v4.6.2',
      "ci.yml uses marocchino/sticky-pull-request-comment@0000000000000000000000000000000000000000: a commit not among the verified pins (test/github/support/pins.ts)",
      "ci.yml uses ./.github/actions/nowhere, which does not exist",
      "ci.yml job test checks out with persist-credentials left on",
    ]);
  });

  it("upload-artifact and download-artifact stay on one major", () => {
    expect(artifactMajorProblems(workflows)).toEqual([]);
    const beta = workflows.find((w) => w.file === "beta.yml")!;
    const text = beta.text.replace(
      /actions\/download-artifact@\S+ # v4\.3\.0/,
      "actions/download-artifact@3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c # v8.0.1",
    );
    expect(artifactMajorProblems(workflows.map((w) => (w === beta ? { ...w, text } : w)))).toEqual([
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
  it("installs the Node of .nvmrc with the npm cache, runs npm ci before credentials, assumes a role through OIDC, logs in to Pulumi", () => {
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
