/**
 * Amazon's Smart Home message schema (`alexa_smart_home_message_schema.json`, draft-04, from
 * github.com/alexa/alexa-smarthome) as a validator of what a smart-home skill sends: responses, error
 * responses, Discover.Response, StateReport, ChangeReport, AcceptGrant.Response.
 *
 * The file is not shipped with Skillship (Amazon publishes it in its own repository): the caller names it
 * (`skillship directive --schema`, `ALEXA_SMART_HOME_SCHEMA`), and its sha256 must be the official file's. It is loaded as Amazon ships it: JSON5 reads past its one trailing comma, and Ajv's draft-04 class
 * (`ajv-draft-04`) compiles it with `strict: false` (non-standard keywords and formats) and
 * `unicodeRegExp: false` (patterns such as `[A-Za-z0-9\_]`).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv-draft-04";
import JSON5 from "json5";
import { ConfigError } from "../../core/errors";

/** sha256 of the official file (alexa/alexa-smarthome, validation_schemas/, last changed in 1c917d2). */
export const SMART_HOME_SCHEMA_SHA256 = "b6af294cb5635d926d89e942c11d45723070495283491f1212dc7c223e285238";

/** Checks messages against the schema. */
export interface MessageValidator {
  /** Every problem of `message`, each `path: what is wrong`; empty when it is valid. */
  problems(message: unknown): string[];
}

interface Branch {
  namespaces: string[];
  names: string[];
  schema: Record<string, unknown>;
  validate?: ValidateFunction;
}

const loaded = new Map<string, MessageValidator>();

/** The validator of the schema at `file`, compiled once per process. */
export function smartHomeValidator(file: string): MessageValidator {
  const cached = loaded.get(file);
  if (cached !== undefined) return cached;
  let text: Buffer;
  try {
    text = readFileSync(file);
  } catch (error) {
    throw new ConfigError(
      `Amazon's Smart Home message schema is not at ${file} (${(error as Error).message}). Set ALEXA_SMART_HOME_SCHEMA ` +
        "to alexa_smart_home_message_schema.json from github.com/alexa/alexa-smarthome (validation_schemas/).",
      { cause: error },
    );
  }
  const digest = createHash("sha256").update(text).digest("hex");
  if (digest !== SMART_HOME_SCHEMA_SHA256) {
    throw new ConfigError(
      `${file} is not Amazon's official Smart Home message schema: sha256 ${digest}, expected ${SMART_HOME_SCHEMA_SHA256}`,
    );
  }
  const schema = JSON5.parse(text.toString("utf8")) as {
    definitions: unknown;
    oneOf: Array<Record<string, unknown>>;
  };
  const ajv = new Ajv({ strict: false, unicodeRegExp: false, allErrors: true, logger: false });
  const whole = ajv.compile(schema);
  // The schema is a oneOf of message types (some grouped in a nested oneOf); each is checked alone to say
  // precisely what is wrong with a message of that type.
  const branches: Branch[] = schema.oneOf
    .flatMap((entry) =>
      Array.isArray(entry.oneOf) ? (entry.oneOf as Array<Record<string, unknown>>) : [entry],
    )
    .map((entry) => {
      const header = (
        entry as {
          properties?: {
            event?: { properties?: { header?: { properties?: Record<string, { enum?: string[] }> } } };
          };
        }
      ).properties?.event?.properties?.header?.properties;
      return {
        namespaces: header?.namespace?.enum ?? [],
        names: header?.name?.enum ?? [],
        schema: { ...entry, definitions: schema.definitions },
      };
    });
  const validator: MessageValidator = {
    problems(message) {
      if (whole(message)) return [];
      const header = (message as { event?: { header?: { namespace?: unknown; name?: unknown } } } | null)
        ?.event?.header;
      const matching = branches.filter(
        (branch) =>
          branch.namespaces.includes(String(header?.namespace)) &&
          branch.names.includes(String(header?.name)),
      );
      if (matching.length === 0) {
        return [
          `event.header: Amazon's schema has no message ${String(header?.namespace)}.${String(header?.name)}`,
        ];
      }
      const problems = matching.flatMap((branch) => {
        branch.validate ??= ajv.compile(branch.schema);
        return branch.validate(message) ? [] : describe(branch.validate.errors ?? []);
      });
      return problems.length > 0 ? problems : ["matches more than one message type of the schema"];
    },
  };
  loaded.set(file, validator);
  return validator;
}

function describe(errors: ErrorObject[]): string[] {
  // anyOf/oneOf failures repeat the errors of each alternative; keep the leaves, once each.
  const lines = errors
    .filter((error) => !["anyOf", "oneOf", "allOf"].includes(error.keyword))
    .map((error) => {
      const where = error.instancePath === "" ? "(message)" : error.instancePath.slice(1).replace(/\//g, ".");
      const extra =
        error.keyword === "additionalProperties" ? ` (${String(error.params.additionalProperty)})` : "";
      const allowed = error.keyword === "enum" ? ` ${JSON.stringify(error.params.allowedValues)}` : "";
      return `${where}: ${error.message ?? error.keyword}${extra}${allowed}`;
    });
  return [...new Set(lines)];
}
