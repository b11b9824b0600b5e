/**
 * {@link SkillValidationPort} over `ask-smapi-sdk`: starting a validation run is never repeated blindly (a lost
 * answer would start a second run); reading one is retried while transient.
 */
import type { v1 } from "ask-smapi-model";
import type {
  SkillStage,
  SkillValidationPort,
  ValidationImportance,
  ValidationResult,
  ValidationRun,
} from "../../ports";
import { stageName, type SmapiCalls } from "./calls";
import { SmapiError } from "./errors";

/** Locale the validation results are worded in (`Accept-Language`). */
const MESSAGE_LOCALE = "en-US";

/** The Skill Management API adapter of {@link SkillValidationPort}. */
export class SmapiValidations implements SkillValidationPort {
  constructor(private readonly calls: SmapiCalls) {}

  async submitValidation(skillId: string, stage: SkillStage, locales: readonly string[]): Promise<string> {
    const response = await this.calls.once(
      `starting the validations of skill ${skillId} (${stageName(stage)}, ${locales.join(", ")})`,
      () => this.calls.client.submitSkillValidationV1({ locales: [...locales] }, skillId, stage),
    );
    if (response.id === undefined) {
      throw new SmapiError(
        `The Skill Management API started the validations of skill ${skillId} but returned no id to follow`,
        "starting the validations",
        {},
      );
    }
    return response.id;
  }

  async getValidation(skillId: string, stage: SkillStage, validationId: string): Promise<ValidationRun> {
    const response = await this.calls.read(
      `reading validation run ${validationId} of skill ${skillId} (${stageName(stage)})`,
      () => this.calls.client.getSkillValidationsV1(skillId, validationId, stage, MESSAGE_LOCALE),
    );
    const error = response.result?.error;
    return {
      id: response.id ?? validationId,
      status: response.status ?? "IN_PROGRESS",
      validations: (response.result?.validations ?? []).map(resultOf),
      ...(error === undefined ? {} : { error: { code: error.code, message: error.message } }),
    };
  }
}

function resultOf(validation: v1.skill.validations.ResponseValidation): ValidationResult {
  return {
    title: validation.title ?? "(untitled validation)",
    ...(validation.description === undefined ? {} : { description: validation.description }),
    ...(validation.category === undefined ? {} : { category: validation.category }),
    ...(validation.locale === undefined ? {} : { locale: validation.locale }),
    importance: (validation.importance ?? "REQUIRED") as ValidationImportance,
    status: validation.status ?? "FAILED",
  };
}
