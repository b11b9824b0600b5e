/**
 * Alexa's own certification validations, run on demand on a stage: the checks certification starts with
 * (privacy questions, example phrases, icons, …), each with its importance. `adapters/smapi` implements it.
 */
import type { SkillStage } from "./skills";

/** How much a validation matters: a failed REQUIRED one fails certification. */
export type ValidationImportance = "REQUIRED" | "RECOMMENDED";

/** One validation Alexa ran. */
export interface ValidationResult {
  title: string;
  description?: string;
  /** Dot-delimited, e.g. `manifest.publishingInformation`. */
  category?: string;
  locale?: string;
  importance: ValidationImportance;
  status: "SUCCESSFUL" | "FAILED";
}

/** A run of validations: in progress, or ended with every validation's result. */
export interface ValidationRun {
  id: string;
  /** FAILED when a validation failed, or when the run itself could not complete (then `error` says why). */
  status: "IN_PROGRESS" | "SUCCESSFUL" | "FAILED";
  validations: ValidationResult[];
  error?: { code?: string; message: string };
}

/** Starting and reading validation runs. */
export interface SkillValidationPort {
  /**
   * Starts the validations of `stage` for `locales`; returns the run's id. Refused (409) while another run of the
   * same stage is still in progress.
   */
  submitValidation(skillId: string, stage: SkillStage, locales: readonly string[]): Promise<string>;
  /** A run's state; the service keeps a run's results for an hour. */
  getValidation(skillId: string, stage: SkillStage, validationId: string): Promise<ValidationRun>;
}
