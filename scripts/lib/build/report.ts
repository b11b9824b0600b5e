/**
 * What a build of the skill tells: the size report `skillship build` prints, and what esbuild's metafile says about
 * the packages in the bundle (the largest ones, and any the project file keeps out).
 */
import type { Metafile } from "esbuild";
import { OperationError } from "../core/errors";
import type { BuildReport } from "./bundle";

/** The size report printed by `skillship build`. */
export function formatBuildReport(report: BuildReport): string {
  const rows = [
    ["bundle", report.files.bundle, `${kib(report.rawBytes)} raw, ${kib(report.gzipBytes)} gzip`],
    ["source map", report.files.sourceMap, kib(report.sourceMapBytes)],
    ...report.chunks.map((chunk) => [
      "lazy chunk",
      chunk.file,
      `${kib(chunk.bytes)}, ${chunk.what}, loaded on first use`,
    ]),
    ["archive", report.files.zip, `${kib(report.zipBytes)} zip`],
    ["CodeSha256", report.files.report, report.codeSha256],
  ];
  const width = Math.max(...rows.map((row) => row[1].length));
  const lines = rows.map(([label, file, value]) => `${label.padEnd(10)}  ${file.padEnd(width)}  ${value}`);
  if (report.largest.length > 0) {
    lines.push(`largest     ${report.largest.map(({ name, bytes }) => `${name} ${kib(bytes)}`).join(", ")}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Bytes in the output per package (the part after the last node_modules/), or per top folder for our code. */
export function largestPackages(metafile: Metafile, count: number): { name: string; bytes: number }[] {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const inPackage = /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      const name = inPackage ? inPackage[1] : `${input.split("/")[0]}/`;
      totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...totals]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name))
    .slice(0, count);
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

/** Throws naming the importer when the bundle includes a package `forbidden` lists. */
export function checkForbiddenPackages(
  metafile: Metafile,
  entry: string,
  forbidden: readonly string[],
): void {
  const inputs = Object.keys(metafile.inputs);
  for (const name of forbidden) {
    const marker = `node_modules/${name}/`;
    const found = inputs.find((input) => input.includes(marker));
    if (found === undefined) continue;
    const importer =
      inputs.find(
        (input) =>
          !input.includes("node_modules/") &&
          metafile.inputs[input].imports.some((imported) => imported.path.includes(marker)),
      ) ?? firstImporter(metafile, marker);
    throw new OperationError(
      `the bundle of ${entry} includes ${name}${importer ? ` (imported by ${importer})` : ""}, which ` +
        "build.forbiddenPackages of the project file keeps out of it: remove the import (or the package from " +
        "that list)",
    );
  }
}

function firstImporter(metafile: Metafile, marker: string): string | undefined {
  return Object.entries(metafile.inputs).find(([, input]) =>
    input.imports.some((imported) => imported.path.includes(marker)),
  )?.[0];
}
