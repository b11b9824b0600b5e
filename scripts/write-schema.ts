/**
 * `npm run schema`: writes skillship.schema.json, the JSON schema of the project file, from its zod schema
 * (scripts/lib/project/schema.ts). A test fails when the committed file and the schema differ.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { projectJsonSchema } from "./lib/project/schema";

const file = path.resolve(__dirname, "..", "skillship.schema.json");
writeFileSync(file, `${JSON.stringify(projectJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${file}\n`);
