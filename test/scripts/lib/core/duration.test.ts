import { parseDuration } from "../../../../scripts/lib/core/duration";
import { UsageError } from "../../../../scripts/lib/core/errors";

describe("parseDuration", () => {
  it("reads units, combinations and bare seconds", () => {
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("90s")).toBe(90_000);
    expect(parseDuration("15m")).toBe(900_000);
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration("2.5")).toBe(2500);
  });

  it("refuses anything else, naming the flag", () => {
    for (const bad of ["", "soon", "10 minutes", "5d", "0s", "1h-3m"]) {
      expect(() => parseDuration(bad, "--wait")).toThrow(UsageError);
    }
    expect(() => parseDuration("soon", "--wait")).toThrow('--wait "soon" is not a duration');
  });
});
