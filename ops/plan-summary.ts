/**
 * plan-summary: reads `tofu show -json plan.tfplan` and prints the Markdown
 * summary every plan leads with (counts of create, update, replace, destroy,
 * import; stateful replaces and destroys by name), and fails where the
 * environment protects what the plan would replace or destroy.
 */
import * as fs from "node:fs";
import type { EnvironmentConfig } from "../environments";
import { stackName, type StackKind } from "../lib/naming";
import { ALLOW_DESTROY_LABEL, classifyPlan, PlanFormatError, planVerdict, renderPlanSummary } from "../lib/plan";
import { type Command, type CommandSpec, EXIT, findEnvironment, type Flags, main, required, UsageError, envOption , type Output, readStdin } from "./cli";

type Key = "env" | "stack" | "file" | "allow";

/** Flags and help of `plan-summary`. */
export const PLAN_SUMMARY: CommandSpec<Key> = {
  name: "plan-summary",
  usage: "--env <env> --stack <stack> [--file plan.json] [--allow allow-destroy]",
  summary: [
    "Reads the JSON of a saved plan (tofu show -json plan.tfplan > plan.json; from --file, else stdin) and",
    "prints a Markdown summary: the counts of create, update, replace, destroy and import, then every",
    "replace or destroy of a stateful resource (registry, buckets, secrets, service accounts, Workload",
    "Identity; Cloud Run services where the environment sets deletionProtection), then each changed address.",
    `Where the environment sets deletionProtection, such a plan fails unless --allow ${ALLOW_DESTROY_LABEL} is given.`,
  ].join("\n"),
  options: {
    env: envOption("environment the plan belongs to"),
    stack: { value: "<stack>", description: "stack the plan is of, e.g. services-production (the summary's heading)" },
    file: { value: "<path>", description: "plan JSON to read", defaultLabel: "stdin" },
    allow: { value: "<label>", description: `${ALLOW_DESTROY_LABEL}, when the pull request carries that label` },
  },
  exitCodes: {
    failed: `the plan replaces or destroys a stateful resource the environment protects, and --allow ${ALLOW_DESTROY_LABEL} is not given (the summary is still printed)`,
    usage: "bad flag, or input that is not the JSON of a saved plan",
  },
};

const KINDS: readonly StackKind[] = ["foundation", "services", "gateway"];

/** The result of one run: the lines to print, and whether the plan may go ahead. */
export interface PlanSummary {
  readonly lines: string[];
  readonly ok: boolean;
  /** Why not, in one line, when not ok. */
  readonly reason: string;
}

/** Checks `--stack` against the environment's stacks. */
export function findStack(env: EnvironmentConfig, name: string): string {
  const stacks = KINDS.map((k) => stackName(env, k));
  if (!stacks.includes(name)) throw new UsageError(`--stack ${JSON.stringify(name)} is not a stack of ${env.name}; use one of ${stacks.join(", ")}`);
  return name;
}

/** Checks `--allow`: only the override label the github stack creates. */
export function allowsDestroy(allow: string | undefined): boolean {
  if (allow === undefined) return false;
  if (allow !== ALLOW_DESTROY_LABEL) throw new UsageError(`--allow ${JSON.stringify(allow)} is not an override label; use --allow ${ALLOW_DESTROY_LABEL} or leave it out`);
  return true;
}

/** The checked flags. */
export function planSummaryOptions(flags: Flags<Key>): { env: EnvironmentConfig; stack: string; allow: boolean } {
  const env = findEnvironment(flags.env);
  const stack = findStack(env, required(flags, "stack", `give the stack the plan is of, e.g. --stack ${stackName(env, "services")}`));
  return { env, stack, allow: allowsDestroy(flags.allow) };
}

/** Summarizes the plan JSON `text`; `source` names the input in errors. Bad input is a UsageError. */
export function summarizePlan(flags: Flags<Key>, text: string, source: string): PlanSummary {
  const { env, stack, allow } = planSummaryOptions(flags);
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new UsageError(`${source} is not JSON (${(error as Error).message}); give the output of tofu show -json plan.tfplan`);
  }
  let plan;
  try {
    plan = classifyPlan(env, data);
  } catch (error) {
    if (error instanceof PlanFormatError) throw new UsageError(`${source} ${error.message}`);
    throw error;
  }
  const verdict = planVerdict(env, plan, allow);
  return { lines: renderPlanSummary(`Plan of ${stack}`, plan, verdict), ok: verdict.ok, reason: `${stack}: ${verdict.reason}` };
}

/** The input `--file` names, or stdin. */
async function readPlan(file: string | undefined, io: Output): Promise<{ text: string; source: string }> {
  if (file !== undefined) {
    const source = `--file ${JSON.stringify(file)}`;
    try {
      return { text: fs.readFileSync(file, "utf8"), source };
    } catch (error) {
      throw new UsageError(`${source} cannot be read (${(error as NodeJS.ErrnoException).code}); give the file tofu show -json plan.tfplan wrote`);
    }
  }
  const text = await readStdin(io, "--file is not given and stdin is a terminal; give --file plan.json or pipe tofu show -json plan.tfplan in");
  return { text, source: "stdin" };
}

/** `npm run plan-summary`: the summary of the plan, failing on a danger the environment does not allow. */
export const command: Command<Key> = {
  spec: PLAN_SUMMARY,
  action: async (flags, io) => {
    // Flags first: a typo must not wait for stdin.
    planSummaryOptions(flags);
    const { text, source } = await readPlan(flags.file, io);
    const summary = summarizePlan(flags, text, source);
    for (const line of summary.lines) io.out(line);
    if (summary.ok) return EXIT.ok;
    io.err(`plan-summary: ${summary.reason}`);
    return EXIT.failed;
  },
};

if (require.main === module) main(command);
