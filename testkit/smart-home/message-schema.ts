/**
 * Amazon's Smart Home message schema for the tests: the validator of `scripts/lib/local/smart-home/`, reading
 * the official file from `ALEXA_SMART_HOME_SCHEMA` or, by default, from the shared folder beside the
 * repository (`../shared/alexa-smarthome/`), where these machines keep it.
 */
import * as path from "node:path";
import {
  smartHomeValidator as validatorOf,
  type MessageValidator,
} from "../../scripts/lib/local/smart-home/message-schema";

export {
  SMART_HOME_SCHEMA_SHA256,
  type MessageValidator,
} from "../../scripts/lib/local/smart-home/message-schema";

/** Where the tests read the schema: `ALEXA_SMART_HOME_SCHEMA`, else `../shared/alexa-smarthome/` of the repo. */
export function smartHomeSchemaPath(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const configured = env.ALEXA_SMART_HOME_SCHEMA?.trim();
  if (configured) return path.resolve(configured);
  return path.resolve(
    __dirname,
    "..",
    "..",
    "..",
    "shared",
    "alexa-smarthome",
    "alexa_smart_home_message_schema.json",
  );
}

/** The validator of the schema at `file` (default {@link smartHomeSchemaPath}). */
export function smartHomeValidator(file: string = smartHomeSchemaPath()): MessageValidator {
  return validatorOf(file);
}
