/**
 * The hook through which `skillship init` writes the team's caller workflows: small files under
 * `.github/workflows/` that run Skillship's reusable workflows (`on: workflow_call`) with the team's inputs and
 * secrets. Skillship's workflows are not callable from another repository yet (that change follows the security
 * work on `.github/`); until then this returns no file and `skillship init` points at docs/adopting-existing.md
 * for CI. When they are, this returns the callers and the init tests assert them.
 */
import type { Layout } from "./layout";
import type { PlannedFile } from "./plan";

/** The caller workflows for the layout: none yet (see above). */
export function callerWorkflowFiles(_layout: Layout): PlannedFile[] {
  return [];
}
