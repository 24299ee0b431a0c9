import type { IConstruct } from "constructs";
import { AnnotationMetadataEntryType, Annotations, Aspects, TerraformStack, type IAspect, type TerraformResource } from "../lib/cdk";
import { MINDMIRROR_RULES } from "./rules";
import { suppressionOf } from "./suppressions";
import type { Finding, PolicyRule, Severity } from "./types";
import { environmentOf, withAttributeCache, type Attributes } from "./inspect";

/** One finding as reported: where, by which rule, at which level. */
export interface ReportedFinding {
  readonly rule: PolicyRule;
  /** The environment of the construct's stack, or the stack's name outside one. */
  readonly environment: string;
  readonly path: string;
  readonly level: Severity | "info";
  readonly found: string;
  readonly message: string;
}

/** An annotation as cdktf writes it to the manifest, which `cdktf synth` prints one line each. */
export interface ManifestAnnotation {
  readonly constructPath: string;
  readonly level: string;
  readonly message: string;
}

/** Every policy message starts with its rule id in brackets. */
const POLICY_MESSAGE = /^\[MM-[A-Z]+-\d+\] /;

/** The text of a finding: `[MM-IAM-1] <description>: <what was found>. Fix: <hint>`. */
export function formatFinding(rule: PolicyRule, found: string): string {
  return `[${rule.id}] ${rule.description}: ${found}. Fix: ${rule.fix}`;
}

/**
 * The MindMirror policy pack as a cdktf Aspect. Each rule's findings become
 * annotations on the offending construct: errors (which fail `cdktf synth`
 * and `app.synth()`), warnings, or, when suppressed, info naming the reason.
 * Each stack it visits also gets a validation listing the policy errors, so
 * `Testing.synth(stack, true)` fails too.
 */
export class PolicyPack implements IAspect {
  /** Every finding reported so far, in the order reported. */
  readonly findings: ReportedFinding[] = [];

  /** Resolved attributes of the current pass, which starts at each construct the pack is applied to. */
  private attributes = new WeakMap<TerraformResource, Attributes>();

  constructor(readonly rules: readonly PolicyRule[] = MINDMIRROR_RULES) {}

  visit(node: IConstruct): void {
    if (TerraformStack.isStack(node)) addPolicyValidation(node);
    if (Aspects.of(node).all.includes(this)) this.attributes = new WeakMap();
    withAttributeCache(this.attributes, () => {
      for (const rule of this.rules) {
        for (const finding of checkNamed(rule, node)) this.report(node, rule, finding);
      }
    });
  }

  private report(node: IConstruct, rule: PolicyRule, finding: Finding): void {
    const { found, severity } = typeof finding === "string" ? { found: finding, severity: rule.severity } : finding;
    const suppression = suppressionOf(node, rule.id);
    const level: Severity | "info" = suppression ? "info" : severity;
    const message = suppression
      ? `[${rule.id}] suppressed: ${suppression.reason} (${found}; suppressed at ${suppression.path})`
      : formatFinding(rule, found);
    // Aspects run again on every synth of the same tree: report each finding once.
    if (node.node.metadata.some((m) => m.data === message)) return;
    const environment = environmentOf(node)?.name ?? TerraformStack.of(node).node.id;
    this.findings.push({ rule, environment, path: node.node.path, level, found, message });
    const annotations = Annotations.of(node);
    if (level === "error") annotations.addError(message);
    else if (level === "warning") annotations.addWarning(message);
    else annotations.addInfo(message);
  }

  /**
   * The annotations of each stack with this pack's warnings folded into one
   * line per rule and environment, on the stack where the first was found:
   * `MM-IAM-1 warning, staging: 7 backends invokable by allUsers (…)`.
   * Errors and suppressions stay one line each.
   */
  summarize(byStack: Readonly<Record<string, readonly ManifestAnnotation[]>>): Record<string, ManifestAnnotation[]> {
    const key = (path: string, message: string) => `${path}\n${message}`;
    const warnings = new Map(this.findings.filter((f) => f.level === "warning").map((f) => [key(f.path, f.message), f]));
    const groups = new Map<string, ReportedFinding[]>();
    for (const finding of warnings.values()) {
      const group = `${finding.rule.id} ${finding.environment}`;
      groups.set(group, [...(groups.get(group) ?? []), finding]);
    }
    const printed = new Set<string>();
    return Object.fromEntries(
      Object.entries(byStack).map(([stack, annotations]) => [
        stack,
        annotations.flatMap((annotation): ManifestAnnotation[] => {
          const finding = annotation.level === AnnotationMetadataEntryType.WARN ? warnings.get(key(annotation.constructPath, annotation.message)) : undefined;
          if (finding === undefined) return [annotation];
          const group = `${finding.rule.id} ${finding.environment}`;
          if (printed.has(group)) return [];
          printed.add(group);
          const found = groups.get(group)!.map((f) => f.found);
          const text = finding.rule.summary?.(found) ?? `${found.length} finding${found.length === 1 ? "" : "s"}: ${finding.rule.description}`;
          return [{ constructPath: stack, level: annotation.level, message: `${finding.rule.id} warning, ${finding.environment}: ${text}` }];
        }),
      ]),
    );
  }
}

/** A rule that throws names itself and the construct, as cdk-nag does, so the bug is found in one look. */
function checkNamed(rule: PolicyRule, node: IConstruct): readonly Finding[] {
  try {
    return rule.check(node);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`[${rule.id}] rule failed on ${node.node.path}: ${message}`, { cause: error });
  }
}

const validated = new WeakSet<TerraformStack>();

/** Fails the stack's validation with the policy errors annotated below it. */
function addPolicyValidation(stack: TerraformStack): void {
  if (validated.has(stack)) return;
  validated.add(stack);
  const isPolicyError = (m: { type: string; data: unknown }) => m.type === AnnotationMetadataEntryType.ERROR && POLICY_MESSAGE.test(String(m.data));
  stack.node.addValidation({
    validate: () =>
      stack.node.findAll().flatMap((c) => c.node.metadata.filter(isPolicyError).map((m) => `[${c.node.path}] ${m.data}`)),
  });
}

/**
 * Applies `pack` to every stack under `scope` (or to `scope` itself when it is
 * in a stack). cdktf invokes aspects from each stack down, never from the app,
 * so call this after the stacks are defined. Applying twice is harmless.
 */
export function applyPolicy(scope: IConstruct, pack: PolicyPack = new PolicyPack()): PolicyPack {
  const inStack = scope.node.scopes.some((s) => TerraformStack.isStack(s));
  const targets = inStack ? [scope] : scope.node.findAll().filter((c) => TerraformStack.isStack(c));
  if (targets.length === 0) {
    throw new Error(`applyPolicy(${scope.node.path || "app"}): no TerraformStack found; call it after the stacks are defined`);
  }
  for (const target of targets) {
    if (!Aspects.of(target).all.some((aspect) => aspect instanceof PolicyPack)) Aspects.of(target).add(pack);
  }
  return pack;
}
