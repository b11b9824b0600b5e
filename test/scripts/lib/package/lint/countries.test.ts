/** The distribution countries lint accepts are the Skill Management API's, as its OpenAPI document lists them. */
import { readFileSync } from "node:fs";
import { DISTRIBUTION_COUNTRIES } from "../../../../../scripts/lib/package/lint/countries";

it("equals the enum v1.skill.Manifest.DistributionCountries of ask-smapi-model's spec.json", () => {
  const spec = JSON.parse(readFileSync(require.resolve("ask-smapi-model/spec.json"), "utf8")) as {
    definitions: Record<string, { enum?: string[] }>;
  };
  expect(DISTRIBUTION_COUNTRIES).toEqual(spec.definitions["v1.skill.Manifest.DistributionCountries"].enum);
  expect(DISTRIBUTION_COUNTRIES).toContain("US");
});
