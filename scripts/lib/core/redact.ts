/**
 * Masking of secrets on the way out. Two kinds are masked wherever they appear in text the CLI writes: the values
 * of configured secrets (the secret variables of the environment and any value added later, in their raw, JSON
 * string and URL-encoded forms), and token shapes no configuration knows in advance: Login with Amazon access and
 * refresh tokens (`Atza|…`, `Atzr|…`, also URL-encoded) and `Bearer …` credentials, which a service may echo in an
 * error body. Every writer of the CLI (the reporter, the top-level error path) masks through one of these.
 */

/** What stands in for a masked value. */
export const MASK = "***";

/**
 * Token shapes: Login with Amazon tokens (`Atza|` access, `Atzr|` refresh, and their kin) and HTTP bearer
 * credentials. The prefix stays readable, so a log still says which kind of token was there.
 */
const TOKEN_SHAPES: readonly [RegExp, string][] = [
  [/\b(Atz[a-z])(\||%7[cC])[^\s"'\\,;&<>)}\]]+/g, `$1$2${MASK}`],
  [/\b(Bearer)(\s+|%20|\+)[A-Za-z0-9\-._~+/=%|]{8,}/gi, `$1$2${MASK}`],
];

/** Masks token shapes only: for paths where no configuration is at hand. */
export function maskTokenShapes(text: string): string {
  let masked = text;
  for (const [shape, replacement] of TOKEN_SHAPES) masked = masked.replace(shape, replacement);
  return masked;
}

/** Masks configured secrets and token shapes in text. */
export interface Redactor {
  mask(text: string): string;
  /** Masks a further secret value from now on (empty values are ignored). */
  add(secret: string): void;
}

/** The forms a secret value may take in output: as it is, inside a JSON string, URL-encoded. */
function formsOf(secret: string): string[] {
  const forms = new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]);
  return [...forms].filter((form) => form.length > 0);
}

/** A redactor over the given secret values (typically `CliEnvironment.secretValues`). */
export function createRedactor(secrets: Iterable<string> = []): Redactor {
  const forms: string[] = [];
  const add = (secret: string): void => {
    if (secret.length === 0) return;
    for (const form of formsOf(secret)) if (!forms.includes(form)) forms.push(form);
    // Longest first, so a secret that contains another is masked whole.
    forms.sort((a, b) => b.length - a.length);
  };
  for (const secret of secrets) add(secret);
  return {
    mask(text) {
      let masked = text;
      for (const form of forms) masked = masked.split(form).join(MASK);
      return maskTokenShapes(masked);
    },
    add,
  };
}

/** Something written to, like `process.stdout`. */
export interface WritableText {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** A writer that masks everything before it reaches `stream`. */
export function maskedWriter(stream: WritableText, redactor: Redactor): WritableText {
  return {
    write: (text: string) => stream.write(redactor.mask(text)),
    ...(stream.isTTY === undefined ? {} : { isTTY: stream.isTTY }),
  };
}
