import {
  DESCRIPTION_LIMIT,
  formatAliasRecord,
  formatVersionRecord,
  parseAliasRecord,
  parseVersionRecord,
} from "../../../../scripts/lib/release/records";
import { UsageError } from "../../../../scripts/lib/core/errors";

const bundle = "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=";

describe("version records", () => {
  it("round-trips tag, commit, bundle, model and a message holding separators", () => {
    const record = {
      tag: "v1.4.0",
      commit: "a".repeat(40),
      bundle,
      model: "0123456789ab",
      message: "fix; x=y",
    };
    const text = formatVersionRecord(record);
    expect(text).toBe(
      `tag=v1.4.0; commit=${"a".repeat(40)}; bundle=${bundle}; model=0123456789ab; msg=fix; x=y`,
    );
    expect(parseVersionRecord(text)).toEqual(record);
  });

  it("shortens a long message to Lambda's 256 characters and keeps the record parseable", () => {
    const text = formatVersionRecord({
      tag: "v2",
      commit: "b".repeat(40),
      bundle,
      model: "m",
      message: "z".repeat(400),
    });
    expect(text.length).toBe(DESCRIPTION_LIMIT);
    expect(parseVersionRecord(text)?.model).toBe("m");
  });

  it("refuses a tag that cannot be recorded, naming it", () => {
    expect(() => formatVersionRecord({ tag: "v 1", commit: "c", bundle, model: "m" })).toThrow(UsageError);
    expect(() => formatVersionRecord({ tag: "t".repeat(200), commit: "c", bundle, model: "m" })).toThrow(
      /too long/,
    );
  });

  it("reads any other description as no record", () => {
    expect(parseVersionRecord("created by pulumi")).toBeUndefined();
    expect(parseVersionRecord("tag=v1; commit=c")).toBeUndefined();
  });
});

describe("alias records", () => {
  it("round-trips a change with its candidacy, tag and rollback request", () => {
    const record = {
      change: "restore" as const,
      replaced: "7",
      model: "0123456789ab",
      at: "2026-11-22T03:00:00.000Z",
      since: "2026-11-20T10:00:00.000Z",
      request: "rollback-1",
      tag: "v1.2.0",
    };
    const text = formatAliasRecord(record);
    expect(text.length).toBeLessThanOrEqual(DESCRIPTION_LIMIT);
    expect(parseAliasRecord(text)).toEqual(record);
  });

  it("reads an unknown change or a foreign description as no record", () => {
    expect(parseAliasRecord("change=teleport; replaced=1; at=x")).toBeUndefined();
    expect(parseAliasRecord("created by pulumi")).toBeUndefined();
  });
});
