/**
 * Suppressions: a written exception to one rule on one construct and
 * everything below it. Stored as construct metadata, so they travel with the
 * tree and never reach `cdk.tf.json`.
 */
import type { IConstruct } from "constructs";
import { MINDMIRROR_RULES } from "./rules";

/** Construct metadata type holding one suppression. */
const SUPPRESSION = "mindmirror/policy-suppression";
/** A reason short enough to be "ok" or "temp" explains nothing. */
export const MIN_REASON_LENGTH = 10;

/** An accepted exception to a rule. */
export interface Suppression {
  readonly ruleId: string;
  readonly reason: string;
  /** Path of the construct the suppression was added to. */
  readonly path: string;
}

/**
 * Accepts findings of rule `ruleId` on `construct` and its children, for the
 * written `reason`. The findings are still listed, as info, on every synth.
 * Throws for an unknown rule id or a reason under 10 characters.
 */
export function suppress(construct: IConstruct, ruleId: string, reason: string): void {
  const known = MINDMIRROR_RULES.map((rule) => rule.id);
  if (!known.includes(ruleId)) {
    throw new Error(`suppress(${construct.node.path}): unknown rule id ${JSON.stringify(ruleId)}; use one of ${known.join(", ")}`);
  }
  const text = (reason ?? "").trim();
  if (text.length < MIN_REASON_LENGTH) {
    throw new Error(
      `suppress(${construct.node.path}, ${ruleId}): reason ${JSON.stringify(reason ?? null)} is too short; write at least ${MIN_REASON_LENGTH} characters saying why the finding is acceptable`,
    );
  }
  construct.node.addMetadata(SUPPRESSION, { ruleId, reason: text });
}

/** The suppression of `ruleId` nearest to `node` (on it or an ancestor), if any. */
export function suppressionOf(node: IConstruct, ruleId: string): Suppression | undefined {
  for (const scope of [...node.node.scopes].reverse()) {
    const entry = scope.node.metadata.find((m) => m.type === SUPPRESSION && m.data.ruleId === ruleId);
    if (entry) return { ruleId, reason: entry.data.reason, path: scope.node.path };
  }
  return undefined;
}
