import { createRedactor, maskedWriter, maskTokenShapes } from "../../../../scripts/lib/core/redact";

describe("maskTokenShapes", () => {
  it.each([
    ["Atza|IwEBIAbC-_.+/=0123", "Atza|***"],
    ["Atzr|IwEBIRefresh", "Atzr|***"],
    ["Atza%7CIwEBIEncoded", "Atza%7C***"],
    ["Authorization: Bearer abcdefgh.ijkl", "Authorization: Bearer ***"],
    ["authorization: bearer abcdefgh1234", "authorization: bearer ***"],
    ['{"authorization":"Bearer Atza|IwEBIx"}', '{"authorization":"Bearer Atza|***"}'],
    ["Bearer%20abcdefgh1234", "Bearer%20***"],
  ])("masks %s", (text, masked) => {
    expect(maskTokenShapes(text)).toBe(masked);
  });

  it("leaves prose alone", () => {
    const prose = "The Bearer token expired; Atza is a prefix. Atza| alone is no token.";
    expect(maskTokenShapes(prose)).toBe(prose);
  });
});

describe("createRedactor", () => {
  it("masks a configured secret raw, inside a JSON string and URL-encoded, the longest first", () => {
    const redactor = createRedactor(['p@ss "word"/x']);
    redactor.add("p@ss");
    const text = [
      'raw p@ss "word"/x',
      JSON.stringify({ v: 'p@ss "word"/x' }),
      `url ?t=${encodeURIComponent('p@ss "word"/x')}`,
      "short p@ss",
    ].join("\n");
    expect(redactor.mask(text)).toBe(["raw ***", '{"v":"***"}', "url ?t=***", "short ***"].join("\n"));
  });

  it("ignores empty secrets", () => {
    const redactor = createRedactor([""]);
    redactor.add("");
    expect(redactor.mask("nothing to hide")).toBe("nothing to hide");
  });
});

describe("maskedWriter", () => {
  it("masks before writing and keeps the stream's TTY flag", () => {
    const written: string[] = [];
    const writer = maskedWriter(
      { write: (text: string) => written.push(text), isTTY: true },
      createRedactor(["hunter2"]),
    );
    writer.write("password hunter2, token Atza|IwEBIabc\n");
    expect(written).toEqual(["password ***, token Atza|***\n"]);
    expect(writer.isTTY).toBe(true);
  });
});
