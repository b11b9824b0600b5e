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
  concurrencyProblems,
  environmentProblems,
  forkProblems,
  lwaSecrets,
  permissionProblems,
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

describe("concurrency", () => {
  it("one group per stack, and a deploy in progress is never cancelled", () => {
    expect(concurrencyProblems(workflows, context)).toEqual([]);
  });

  it("a deploy that cancels, or runs outside its stack's group, is reported", () => {
    const copy = broken((c) => {
      job(c, "beta.yml", "deploy").concurrency = { group: "skillship-stack-dev", "cancel-in-progress": true };
      job(c, "rollback.yml", "rollback").concurrency = { group: "rollback", "cancel-in-progress": false };
    });
    expect(concurrencyProblems(copy, context)).toEqual([
      "beta.yml job deploy is in skillship-stack-dev and must set cancel-in-progress: false",
      "beta.yml job deploy deploys dev and must set cancel-in-progress: false",
      "rollback.yml job rollback deploys prod outside concurrency group skillship-stack-prod",
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

describe("actions", () => {
  it("are pinned, exist, and checkouts keep no token", () => {
    expect(actionRefProblems(workflows, action)).toEqual([]);
  });

  it("a branch reference, a missing local action or a checkout keeping its token is reported", () => {
    const copy = broken((c) => {
      const steps = job(c, "ci.yml", "test").steps!;
      steps[0] = { uses: "actions/checkout@main" };
      steps.push({ uses: "./.github/actions/nowhere" });
    });
    expect(actionRefProblems(copy, action)).toEqual([
      "ci.yml job test uses actions/checkout@main: pin a major version tag or a commit SHA",
      "ci.yml job test checks out with persist-credentials left on",
      "ci.yml job test uses ./.github/actions/nowhere, which does not exist",
    ]);
  });
});

describe("Dependabot", () => {
  it("keeps the pinned actions of the workflows and of the setup action up to date", () => {
    const config = parse(readFileSync(join(repoRoot, ".github", "dependabot.yml"), "utf8")) as {
      updates: { "package-ecosystem": string; directories: string[] }[];
    };
    const actions = config.updates.find((u) => u["package-ecosystem"] === "github-actions");
    expect(actions?.directories).toEqual(expect.arrayContaining(["/", "/.github/actions/setup"]));
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
      "the setup action must log in to Pulumi Cloud with a token otherwise",
    ]);
  });
});
