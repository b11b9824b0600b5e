/** The canary step syntax both the stack config (`canarySteps`) and the CLI (`--canary-steps`) read. */
import { formatCanarySteps, parseCanarySteps } from "../../contracts/canary";

describe("parseCanarySteps", () => {
  it("reads percent and bake in minutes or hours, and none for all at once", () => {
    expect(parseCanarySteps("10%:10m")).toEqual({ steps: [{ percent: 10, bakeMinutes: 10 }], problems: [] });
    expect(parseCanarySteps(" 5%:15m, 12.5%:1h ,50%:90m")).toEqual({
      steps: [
        { percent: 5, bakeMinutes: 15 },
        { percent: 12.5, bakeMinutes: 60 },
        { percent: 50, bakeMinutes: 90 },
      ],
      problems: [],
    });
    expect(parseCanarySteps("none")).toEqual({ steps: [], problems: [] });
    expect(parseCanarySteps("NONE").steps).toEqual([]);
  });

  it("names every problem of every step at once", () => {
    expect(parseCanarySteps("0%:10m,100%:5m,50%:0m,40%:10m,10%-10m,60%:25h").problems).toEqual([
      'step 1 "0%:10m": the share must be more than 0% and less than 100% (100% is the step after the last)',
      'step 2 "100%:5m": the share must be more than 0% and less than 100% (100% is the step after the last)',
      'step 3 "50%:0m": the bake must be from 1m to 24h',
      'step 3 "50%:0m": the share must grow from one step to the next (after 100%)',
      'step 4 "40%:10m": the share must grow from one step to the next (after 50%)',
      'step 5 "10%-10m": expected PERCENT%:MINUTESm or PERCENT%:HOURSh, e.g. 10%:10m',
      'step 6 "60%:25h": the bake must be from 1m to 24h',
    ]);
    expect(parseCanarySteps("").problems).toEqual(['expected steps such as "10%:10m,50%:30m", or "none"']);
    expect(parseCanarySteps(Array.from({ length: 11 }, (_, i) => `${i + 1}%:1m`).join(",")).problems).toEqual(
      ["at most 10 steps (got 11)"],
    );
    // Seconds are not a bake: CloudWatch counts by the minute.
    expect(parseCanarySteps("10%:90s").problems).toHaveLength(1);
  });

  it("formats what it parses", () => {
    const text = "5%:15m,50%:60m";
    expect(formatCanarySteps(parseCanarySteps(text).steps)).toBe(text);
    expect(formatCanarySteps([])).toBe("none");
  });
});
