/**
 * What a saved plan would do, read from `tofu show -json plan.tfplan` (the
 * JSON plan representation, format 1.x): counts per kind of change, and the
 * replaces and destroys of stateful resources that a reviewer must not miss.
 * Pure: the `plan-summary` command and its tests are the only callers.
 */
import type { EnvironmentConfig } from "../environments/types";

/**
 * The pull-request label a reviewer adds on purpose to let a plan replace or
 * destroy a protected resource. The github stack creates it.
 */
export const ALLOW_DESTROY_LABEL = "allow-destroy";

/** The kinds of change the summary counts, in the order of its table. */
export const CHANGE_KINDS = ["create", "update", "replace", "destroy", "import"] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/**
 * Resource types whose replace or destroy loses something a re-apply cannot
 * bring back: images, state, secret versions and their IAM, identities other
 * grants name by unique id, the federation every workflow signs in through.
 * `protectedOnly` types count only where the environment protects its
 * services (`deletionProtection`): a staging service is rebuilt from config,
 * a production one serves users.
 */
export const STATEFUL_TYPES: Readonly<Record<string, { readonly kind: string; readonly protectedOnly?: boolean }>> = {
  google_artifact_registry_repository: { kind: "image registry" },
  google_storage_bucket: { kind: "bucket" },
  google_secret_manager_secret: { kind: "secret" },
  google_service_account: { kind: "service account" },
  google_iam_workload_identity_pool: { kind: "Workload Identity pool" },
  google_iam_workload_identity_pool_provider: { kind: "Workload Identity provider" },
  google_cloud_run_v2_service: { kind: "Cloud Run service", protectedOnly: true },
};

/** Attributes naming the cloud object, by type; the first one present is shown. */
const ID_ATTRIBUTES = ["secret_id", "account_id", "repository_id", "workload_identity_pool_provider_id", "workload_identity_pool_id", "name"];

/** One resource instance the plan touches. */
export interface PlannedChange {
  readonly address: string;
  readonly type: string;
  /** `replace`, `destroy`, `create`, `update`, `forget`, or `import` alone (an import with nothing else). */
  readonly action: ChangeKind | "forget";
  /** Also imported (an import may come with an update, or nothing else). */
  readonly importing: boolean;
  /** The cloud object's own name, where the plan shows it. */
  readonly id?: string;
}

/** A replace or destroy of a stateful resource. */
export interface Danger extends PlannedChange {
  readonly action: "replace" | "destroy";
  /** What it is: `secret`, `Cloud Run service`, ... */
  readonly kind: string;
}

/** The classified plan. */
export interface PlanClassification {
  readonly counts: Readonly<Record<ChangeKind, number>>;
  /** Removed from state without being destroyed (`removed` blocks); not in the table. */
  readonly forgotten: number;
  /** Every resource instance with a change, in the plan's order. */
  readonly changes: readonly PlannedChange[];
  /** Stateful replaces and destroys, in the plan's order. */
  readonly dangers: readonly Danger[];
  /** Root outputs whose value changes. */
  readonly outputChanges: readonly string[];
  /** Objects changed outside OpenTofu since the last apply (`resource_drift`): what a console click or `gcloud` touched. */
  readonly changedOutside: readonly string[];
}

/** A plan JSON (or part of one) that does not have the documented shape. */
export class PlanFormatError extends Error {
  override readonly name = "PlanFormatError";
}

interface RawChange {
  actions: string[];
  before?: unknown;
  importing?: unknown;
}
interface RawResourceChange {
  address: string;
  mode?: string;
  type: string;
  change: RawChange;
}

/** Checks the parsed document and returns its resource changes and changed outputs; throws a PlanFormatError naming what is wrong. */
export function readPlanDocument(data: unknown): { resourceChanges: RawResourceChange[]; outputChanges: string[]; changedOutside: string[] } {
  if (typeof data !== "object" || data === null || Array.isArray(data)) throw new PlanFormatError(`holds ${Array.isArray(data) ? "an array" : JSON.stringify(data)}, not a plan object`);
  const doc = data as Record<string, unknown>;
  const version = doc.format_version;
  if (typeof version !== "string" || !/^1\.\d+$/.test(version)) {
    throw new PlanFormatError(`has format_version ${JSON.stringify(version)}; this command reads format 1.x, as written by tofu show -json plan.tfplan`);
  }
  if (doc.errored === true) throw new PlanFormatError("is a plan that errored; fix the plan first");
  const raw = doc.resource_changes ?? [];
  if (!Array.isArray(raw)) throw new PlanFormatError("has resource_changes that is not an array");
  const resourceChanges = raw.map((entry: unknown, i: number) => {
    const rc = entry as Partial<RawResourceChange> | null;
    const actions = rc?.change?.actions;
    if (typeof rc?.address !== "string" || typeof rc.type !== "string" || !Array.isArray(actions) || !actions.every((a) => typeof a === "string")) {
      throw new PlanFormatError(`has resource_changes[${i}] without address, type and change.actions`);
    }
    return rc as RawResourceChange;
  });
  const drift = doc.resource_drift ?? [];
  if (!Array.isArray(drift) || !drift.every((d: unknown) => typeof (d as { address?: unknown } | null)?.address === "string")) {
    throw new PlanFormatError("has resource_drift that is not an array of changes with an address");
  }
  const changedOutside = [...new Set(drift.map((d: { address: string }) => d.address))];
  const outputs = doc.output_changes ?? {};
  if (typeof outputs !== "object" || outputs === null || Array.isArray(outputs)) throw new PlanFormatError("has output_changes that is not an object");
  const outputChanges = Object.entries(outputs as Record<string, { actions?: unknown }>)
    .filter(([, c]) => Array.isArray(c?.actions) && !(c.actions as unknown[]).every((a) => a === "no-op"))
    .map(([name]) => name);
  return { resourceChanges, outputChanges, changedOutside };
}

/** The one action of an `actions` list, or undefined for no-op and read. */
function actionOf(address: string, actions: readonly string[]): ChangeKind | "forget" | undefined {
  const key = actions.join(",");
  switch (key) {
    case "no-op":
    case "read":
      return undefined;
    case "create":
    case "update":
    case "forget":
      return key;
    case "delete":
      return "destroy";
    case "delete,create":
    case "create,delete":
      return "replace";
    default:
      // Fail closed: an action this code does not know may delete something.
      throw new PlanFormatError(`has actions ${JSON.stringify(actions)} for ${address}, which this command does not know; update lib/plan.ts`);
  }
}

function idOf(before: unknown): string | undefined {
  if (typeof before !== "object" || before === null) return undefined;
  const values = before as Record<string, unknown>;
  const key = ID_ATTRIBUTES.find((k) => typeof values[k] === "string" && values[k] !== "");
  return key === undefined ? undefined : (values[key] as string);
}

/** Classifies a parsed plan document of `env`. Throws a PlanFormatError if the document is not a plan. */
export function classifyPlan(env: EnvironmentConfig, data: unknown): PlanClassification {
  const { resourceChanges, outputChanges, changedOutside } = readPlanDocument(data);
  const counts: Record<ChangeKind, number> = { create: 0, update: 0, replace: 0, destroy: 0, import: 0 };
  let forgotten = 0;
  const changes: PlannedChange[] = [];
  const dangers: Danger[] = [];
  for (const rc of resourceChanges) {
    if (rc.mode === "data") continue;
    const action = actionOf(rc.address, rc.change.actions);
    // `importing` present (even `{}`) means an import, whatever else the actions say.
    const importing = rc.change.importing !== undefined && rc.change.importing !== null;
    if (importing) counts.import++;
    if (action === "forget") forgotten++;
    else if (action !== undefined) counts[action]++;
    if (action === undefined && !importing) continue;
    const id = idOf(rc.change.before);
    const change: PlannedChange = { address: rc.address, type: rc.type, action: action ?? "import", importing, ...(id === undefined ? {} : { id }) };
    changes.push(change);
    const stateful = STATEFUL_TYPES[rc.type];
    if ((action === "replace" || action === "destroy") && stateful && (!stateful.protectedOnly || env.deletionProtection)) {
      dangers.push({ ...change, action, kind: stateful.kind });
    }
  }
  return { counts, forgotten, changes, dangers, outputChanges, changedOutside };
}

/** Whether a plan may go ahead. */
export interface PlanVerdict {
  /** False: the plan job fails. */
  readonly ok: boolean;
  /** One sentence for people. */
  readonly reason: string;
}

/**
 * Where the environment protects its resources (`deletionProtection`), a
 * stateful replace or destroy needs {@link ALLOW_DESTROY_LABEL}; elsewhere it
 * is named, never blocked.
 */
export function planVerdict(env: EnvironmentConfig, plan: PlanClassification, allowDestroy: boolean): PlanVerdict {
  const n = plan.dangers.length;
  if (n === 0) return { ok: true, reason: "no stateful resource is replaced or destroyed" };
  const what = `${n} stateful resource${n === 1 ? "" : "s"} would be replaced or destroyed`;
  if (!env.deletionProtection) return { ok: true, reason: `${what}; ${env.name} does not protect its resources, so this is not blocked` };
  if (allowDestroy) return { ok: true, reason: `${what}, allowed by the label ${ALLOW_DESTROY_LABEL}` };
  return {
    ok: false,
    reason: `${what} in ${env.name}, which protects them; a reviewer who means it adds the label ${ALLOW_DESTROY_LABEL} to the pull request and runs the plan again`,
  };
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function changeLine(change: PlannedChange): string {
  const id = change.id === undefined ? "" : ` (${code(change.id)})`;
  const imported = change.importing && change.action !== "import" ? ", imported" : "";
  return `${change.action} ${code(change.address)}${id}${imported}`;
}

/**
 * The Markdown summary: the table of counts first, then the dangers, the
 * verdict, and every changed address. It leads every plan a person reads: run
 * summaries, pull-request comments, drift issues.
 */
export function renderPlanSummary(title: string, plan: PlanClassification, verdict: PlanVerdict): string[] {
  const lines = [
    `### ${title}`,
    "",
    `| ${CHANGE_KINDS.join(" | ")} |`,
    `|${CHANGE_KINDS.map(() => "---:").join("|")}|`,
    `| ${CHANGE_KINDS.map((k) => String(plan.counts[k])).join(" | ")} |`,
    "",
  ];
  if (plan.dangers.length > 0) {
    lines.push(verdict.ok ? "> [!WARNING]" : "> [!CAUTION]", `> **Stateful resources replaced or destroyed (${plan.dangers.length}):**`);
    for (const d of plan.dangers) lines.push(`> - **${d.action}** ${d.kind} ${code(d.address)}${d.id === undefined ? "" : ` (${code(d.id)})`}`);
    lines.push("");
  }
  lines.push(`**${verdict.ok ? "OK" : "Blocked"}:** ${verdict.reason}.`, "");
  if (plan.changes.length === 0 && plan.outputChanges.length === 0) {
    lines.push("No resource changes.");
  } else {
    lines.push(`Changed addresses (${plan.changes.length}):`, "");
    for (const c of plan.changes) lines.push(`- ${changeLine(c)}`);
    if (plan.forgotten > 0) lines.push("", `${plan.forgotten} removed from state only (forget), not destroyed.`);
    if (plan.outputChanges.length > 0) lines.push("", `Outputs changed: ${plan.outputChanges.map(code).join(", ")}.`);
  }
  if (plan.changedOutside.length > 0) lines.push("", `Changed outside OpenTofu since the last apply (${plan.changedOutside.length}): ${plan.changedOutside.map(code).join(", ")}.`);
  lines.push("");
  return lines;
}
