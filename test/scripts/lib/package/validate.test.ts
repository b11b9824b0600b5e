import { OperationError, StillWaitingError } from "../../../../scripts/lib/core/errors";
import { publishedLocales, runValidations } from "../../../../scripts/lib/package/validate";
import type { SkillValidationPort, ValidationRun } from "../../../../scripts/lib/ports";

/** A validations port that answers the runs given, in order, to every read. */
function port(runs: ValidationRun[], submit: () => Promise<string> = async () => "v-1"): SkillValidationPort {
  let read = 0;
  return {
    submitValidation: submit,
    getValidation: async () => runs[Math.min(read++, runs.length - 1)],
  };
}

const input = {
  skillId: "amzn1.ask.skill.x",
  stage: "development" as const,
  locales: ["en-US"],
  pollIntervalMs: 1,
};

describe("runValidations", () => {
  it("says so when Alexa could not run the validations at all (FAILED without a failed validation)", async () => {
    const failed = port([
      {
        id: "v-1",
        status: "FAILED",
        validations: [],
        error: { code: "INTERNAL_ERROR", message: "try later" },
      },
    ]);
    const attempt = runValidations(failed, input);
    await expect(attempt).rejects.toBeInstanceOf(OperationError);
    await expect(attempt).rejects.toThrow(
      "Alexa could not run the validations of skill amzn1.ask.skill.x (development stage, validation v-1): INTERNAL_ERROR: try later.",
    );
  });

  it("waits while an earlier run of the stage is still going (409), within the timeout", async () => {
    let submits = 0;
    const busy = async (): Promise<string> => {
      submits += 1;
      if (submits < 3) throw Object.assign(new Error("conflict"), { statusCode: 409 });
      return "v-3";
    };
    const report = await runValidations(
      port([{ id: "v-3", status: "SUCCESSFUL", validations: [] }], busy),
      input,
    );
    expect(report.validationId).toBe("v-3");
    expect(submits).toBe(3);

    const forever = async (): Promise<string> => {
      throw Object.assign(new Error("conflict"), { statusCode: 409 });
    };
    const stuck = runValidations(port([], forever), { ...input, timeoutMs: 5 });
    await expect(stuck).rejects.toBeInstanceOf(StillWaitingError);
    await expect(stuck).rejects.toThrow(/started earlier, is still going/);
  });

  it("validates the locales the manifest publishes", () => {
    expect(
      publishedLocales({ manifest: { publishingInformation: { locales: { "fr-FR": {}, "de-DE": {} } } } }),
    ).toEqual(["de-DE", "fr-FR"]);
  });
});
