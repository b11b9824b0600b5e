/** The entry point of the `skillship` bin: the only place that calls `process.exit`. */
import { run } from "./cli";
import { maskTokenShapes } from "./lib/core/redact";

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // run() reports its own errors; this only catches a failure of run itself, with no environment at hand.
    process.stderr.write(`skillship: ${maskTokenShapes(String(error))}\n`);
    process.exit(1);
  },
);
