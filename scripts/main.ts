/** The entry point of the `skillship` bin: the only place that calls `process.exit`. */
import { run } from "./cli";

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`skillship: ${String(error)}\n`);
    process.exit(1);
  },
);
