/**
 * The CrossGuard policy pack: `pulumi preview --policy-pack infra/policies` (in CI, where the Pulumi CLI runs).
 * Constructing the pack starts the policy analyzer, so tests import `./rules` instead.
 */
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./rules";

new PolicyPack("skillship-guardrails", { policies });
