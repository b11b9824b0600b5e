/**
 * The canonical JSON form every comparison and upload of the package uses: keys sorted, two-space indent, a final
 * newline. Equal documents give equal text whatever their key order, so a diff shows only what changed and a hash
 * changes only with the content.
 */
import { canonicalize } from "diff";

/** JSON with sorted keys and a two-space indent, so equal documents give equal text whatever their key order. */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(
    canonicalize(value, null, null, (_key: string, v: unknown) => v),
    null,
    2,
  )}\n`;
}
