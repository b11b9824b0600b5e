/**
 * The lint gate in front of every upload of the skill package: the same checks as `skillship lint` (icons
 * included, the project's rule switches honoured), so a package that lint refuses never reaches the Skill
 * Management API. Errors stop the command before any remote call; warnings are passed on and do not.
 */
import { OperationError } from "../core/errors";
import type { Project } from "../project/read";
import { countProblems, formatProblems } from "./lint";
import { lintProject } from "./lint/project";
import type { SkillPackage } from "./skill-package";

/**
 * Lints `pkg` as `skillship lint` does. Throws an {@link OperationError} listing every error, saying that
 * nothing was `done` ("deployed", "released"); tells `warn` how many warnings there are, if any.
 */
export async function passLintGate(
  pkg: SkillPackage,
  project: Project,
  done: string,
  warn: (text: string) => void = () => undefined,
): Promise<void> {
  const { problems } = await lintProject(pkg, project);
  const { errors, warnings } = countProblems(problems);
  if (errors > 0) {
    throw new OperationError(
      `${pkg.root} does not pass skillship lint (${errors} lint error${errors === 1 ? "" : "s"}); nothing was ${done}:\n` +
        formatProblems(
          problems.filter((problem) => problem.severity === "error"),
          { color: false },
        ).trimEnd() +
        "\nFix them (skillship lint shows them all), then run the command again.",
    );
  }
  if (warnings > 0) {
    warn(`${pkg.root}: ${warnings} lint warning(s); run skillship lint to see them`);
  }
}
