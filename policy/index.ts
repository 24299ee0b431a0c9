/**
 * The MindMirror policy pack: cdk-nag-style rules run as cdktf Aspects.
 * `applyPolicy(app)` after the stacks are defined; `suppress(construct, id, reason)`
 * for a written exception.
 */
export { applyPolicy, formatFinding, PolicyPack, type ManifestAnnotation, type ReportedFinding } from "./pack";
export { MINDMIRROR_RULES } from "./rules";
export { MIN_REASON_LENGTH, suppress, suppressionOf, type Suppression } from "./suppressions";
export type { Finding, PolicyRule, Severity } from "./types";
