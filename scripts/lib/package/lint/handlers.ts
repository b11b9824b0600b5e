/**
 * What the skill's code declares it handles, for the `handlers` rule. The module `code.handlers` of the project
 * file names exports `requestHandlers`, ask-sdk request handlers of which each may declare the intents it answers
 * (`intents: ["PlayClipIntent"]`). Nothing else of the skill is read, and nothing is guessed: without the module,
 * or when no handler declares an intent, the rule is skipped and the report says so.
 */
import { ConfigError } from "../../core/errors";
import { requireProjectModule } from "../../project/code";
import { describeSetting, displayPath, type Project } from "../../project/read";

/** The intents the handlers declare and the file declaring them, or why the `handlers` rule is skipped. */
export type HandlerDeclarations =
  { declared: true; intents: string[]; file: string } | { declared: false; reason: string };

/** Loads `code.handlers` and collects the intents its handlers declare. */
export function declaredHandlers(project: Project): HandlerDeclarations {
  const file = project.paths.handlers;
  if (file === undefined) {
    return {
      declared: false,
      reason:
        "the project names no code.handlers module whose handlers declare their intents " +
        "(docs/project-file.md#handler-declarations)",
    };
  }
  const shown = displayPath(file);
  const handlers = requireProjectModule(project, file, "code.handlers").requestHandlers;
  if (!Array.isArray(handlers)) {
    throw new ConfigError(
      `${describeSetting(project, "code.handlers", shown)} exports no requestHandlers array: export the ` +
        "skill's request handlers as requestHandlers, or remove code.handlers",
    );
  }
  const intents: string[] = [];
  let declaring = 0;
  handlers.forEach((handler: unknown, index) => {
    const declared = (handler as { intents?: unknown } | null)?.intents;
    if (declared === undefined) return;
    if (!Array.isArray(declared) || declared.some((name) => typeof name !== "string" || name === "")) {
      throw new ConfigError(
        `requestHandlers[${index}].intents in ${shown} must be a list of intent names, e.g. ["AMAZON.StopIntent"]`,
      );
    }
    declaring += 1;
    intents.push(...(declared as string[]));
  });
  if (declaring === 0) {
    return {
      declared: false,
      reason: `no handler in ${shown} declares its intents (docs/project-file.md#handler-declarations)`,
    };
  }
  return { declared: true, intents, file: shown };
}
