import type { IConstruct } from "constructs";

/** `error` fails synth; `warning` is printed and lets synth succeed. */
export type Severity = "error" | "warning";

/**
 * What a rule found on one construct: a short phrase naming the offending
 * value (`allUsers may invoke agent-service-staging`), optionally with a
 * severity other than the rule's own.
 */
export type Finding = string | { readonly found: string; readonly severity: Severity };

/**
 * One policy check, in the manner of a cdk-nag rule: an id, a one-line
 * description, a default severity, how to fix a finding, and a pure check.
 */
export interface PolicyRule {
  /** Stable id used in messages and suppressions, e.g. `MM-IAM-1`. */
  readonly id: string;
  /** What compliant infrastructure looks like, in one line. */
  readonly description: string;
  /** Severity of a finding unless the finding says otherwise. */
  readonly severity: Severity;
  /** How to fix a finding. */
  readonly fix: string;
  /**
   * The one line synth prints for the warnings of this rule in one
   * environment, given what each found, e.g. `7 backends invokable by allUsers (…)`.
   * @default "<count> findings: <description>"
   */
  readonly summary?: (found: readonly string[]) => string;
  /**
   * Findings on `node`; empty when `node` complies or the rule does not apply
   * to it. Reads the construct tree only: never changes it.
   */
  readonly check: (node: IConstruct) => readonly Finding[];
}
