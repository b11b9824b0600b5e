/** The one-time steps left after `skillship init`, for the layout it found and the files it wrote. */
import type { Layout } from "./layout";
import type { InitOptions } from "./plan";
import type { FileOutcome } from "./write";

/** The steps, in the order a team takes them. */
export function nextSteps(layout: Layout, outcomes: readonly FileOutcome[], options: InitOptions): string[] {
  const steps: string[] = [];
  if (options.sample) {
    steps.push("npm install   (the sample's package.json asks for ask-sdk-core and skillship)");
  } else {
    steps.push(
      "npm install --save-dev skillship @pulumi/pulumi @pulumi/aws @pulumi/github @pulumi/synced-folder",
    );
  }
  if (!options.sample && !layout.skillPackage.found) {
    steps.push(
      `bring the skill package into ${layout.skillPackage.path}/: skillship import --skill-id ID ` +
        "(from the developer console), or set skillPackage in skillship.json",
    );
  }
  if (!options.sample && !layout.entry.found) {
    steps.push(
      `point code.entry of skillship.json at the module Lambda runs (${layout.entry.path} does not exist)`,
    );
  }
  if (!options.sample) {
    steps.push(
      "declare the intents each request handler answers and name the module that lists them as code.handlers, " +
        "so skillship lint checks them against the models (docs/project-file.md#handler-declarations)",
    );
  }
  const kept = outcomes.filter((outcome) => outcome.outcome === "kept").map((outcome) => outcome.path);
  if (kept.length > 0) {
    steps.push(
      `compare what skillship init would write with the files it kept (${kept.join(", ")}), or pass --force`,
    );
  }
  steps.push("fill in every value marked REPLACE in Pulumi.dev.yaml, Pulumi.prod.yaml and Pulumi.admin.yaml");
  steps.push(
    "sign in to the Skill Management API: `ask configure` on your machine, and `skillship lwa login` for the " +
      "refresh token CI uses",
  );
  steps.push("skillship lint && skillship build && skillship dev");
  steps.push("pulumi stack init dev && pulumi up   (the first time with an administrator's AWS credentials)");
  steps.push(
    "pulumi stack init prod && pulumi up, then the administrator-only stack: pulumi stack init admin " +
      "--secrets-provider awskms://… && pulumi up (docs/security.md)",
  );
  if (options.workflows === undefined) {
    steps.push(
      "point the skillship-*.yml workflows at Skillship's reusable ones: skillship init --workflows " +
        "OWNER/NAME@COMMIT --force, or replace REPLACE-OWNER/skillship and REPLACE-COMMIT in them",
    );
  }
  steps.push(
    "CI: the environments production, beta and preview with the Login with Amazon secrets, and the repository " +
      "variables the admin stack writes (docs/adopting-existing.md#6-ci-workflows)",
  );
  return steps;
}
