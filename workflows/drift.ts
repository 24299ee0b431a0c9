/**
 * Drift detection: every day (and on demand) each stack of every
 * environment is planned against its deploy branch, read-only, and the result
 * is kept in one issue per stack, labelled `drift,<env>`: opened or updated
 * while the live project differs from the code, closed once it matches again.
 * A stack that cannot be planned (credentials, state, a broken config) gets an
 * issue of its own saying so, and its drift issue is left as it was. Nothing
 * is ever applied.
 */
import type { GithubConfig } from "../environments/github";
import type { EnvironmentConfig } from "../environments/types";
import { PIPELINE_LABELS } from "../lib/github";
import { planEnvironment } from "../lib/ci";
import { backendConfigFile, stackName, type StackKind } from "../lib/naming";
import { stepOutputs, type Job, type Step, type WorkflowFile } from "./model";
import { planSummaryCommand } from "./plan-summary";
import { authenticate, checkoutRepository, installNode, RUN_URL, setupTofu, stackDir, synth, synthesizedStackDir, tofuInit } from "./steps";
import { ACTIONS, TOOLCHAIN } from "./toolchain";

/** The file under `.github/workflows/`. */
export const DRIFT_WORKFLOW_FILE = "drift.yml";

/** Daily at 05:17 UTC: off the hour, when GitHub's scheduler is least crowded, and before the working day. */
export const DRIFT_SCHEDULE = "17 5 * * *";

/**
 * The stacks the drift detection plans in each environment: all of them. The
 * read-only planner may read every stack's state and resources, the
 * foundation's included, though only a person applies the foundation.
 */
export const DRIFT_STACK_KINDS: readonly StackKind[] = ["foundation", "services", "gateway"];

/** One planned stack. */
export interface DriftTarget {
  readonly env: EnvironmentConfig;
  readonly kind: StackKind;
  /** `services-staging`. */
  readonly stack: string;
  /** Job id of its plan: `plan-services-staging`. */
  readonly job: string;
}

/** Every stack the drift detection plans, environment by environment. */
export function driftTargets(environments: readonly EnvironmentConfig[]): DriftTarget[] {
  return environments.flatMap((env) =>
    DRIFT_STACK_KINDS.map((kind) => {
      const stack = stackName(env, kind);
      return { env, kind, stack, job: `plan-${stack}` };
    }),
  );
}

/** Issue titles: one for drift, one for a stack that cannot be planned. */
export function driftIssueTitles(stack: string): { drift: string; failed: string } {
  return { drift: `Drift in ${stack}`, failed: `Drift check cannot plan ${stack}` };
}

const REPORT = "${{ runner.temp }}/drift/report.md";

/** The plan step: `result` is `clean`, `drift` or `error`. */
const DRIFT_PLAN = stepOutputs("plan", ["result"]);

function planJob(target: DriftTarget, github: GithubConfig): Job {
  const { env, stack } = target;
  const infra = github.infraDirectory;
  const dir = stackDir(infra, stack);
  const fromInfra = synthesizedStackDir(stack);
  const backend = env.backend.mode === "partial" ? backendConfigFile(env) : undefined;
  const plan: Step = {
    // -lock=false: the planner may read state but not write the lock; nothing is applied.
    name: "tofu plan",
    id: DRIFT_PLAN.id,
    workingDirectory: dir,
    run: [
      "set +e",
      'tofu plan -lock=false -input=false -detailed-exitcode -no-color -out=plan.tfplan > "$RUNNER_TEMP/plan.log" 2>&1',
      "code=$?",
      "set -e",
      'cat "$RUNNER_TEMP/plan.log"',
      // -detailed-exitcode: 0 matches the code, 2 differs, 1 could not plan (not drift).
      'case "$code" in',
      '  0) echo "result=clean" >> "$GITHUB_OUTPUT" ;;',
      '  2) echo "result=drift" >> "$GITHUB_OUTPUT" ;;',
      '  *) echo "result=error" >> "$GITHUB_OUTPUT" ;;',
      "esac",
      "",
    ].join("\n"),
  };
  const report: Step = {
    name: "Write the report",
    if: "always()",
    workingDirectory: infra,
    env: { RESULT: DRIFT_PLAN.expr("result") },
    run: [
      'mkdir -p "$RUNNER_TEMP/drift"',
      'report="$RUNNER_TEMP/drift/report.md"',
      'case "$RESULT" in',
      "  drift)",
      `    tofu -chdir=${fromInfra} show -json plan.tfplan > "$RUNNER_TEMP/plan.json"`,
      // Exit 1 only means the summary names a protected replace or destroy: still the report.
      `    ${planSummaryCommand(env, stack, '"$RUNNER_TEMP/plan.json"')} > "$report" || true`,
      `    { echo "<details><summary>Full plan</summary>"; echo; echo '\`\`\`'; tofu -chdir=${fromInfra} show -no-color plan.tfplan; echo '\`\`\`'; echo "</details>"; } >> "$report"`,
      "    ;;",
      `  clean) echo "${stack} matches its code: no drift." > "$report" ;;`,
      "  *)",
      `    { echo "### ${stack} cannot be planned"; echo; echo "This is not drift: tofu plan failed, so whether the stack drifted is unknown. The end of its output:"; echo; echo '\`\`\`'; tail -n 60 "$RUNNER_TEMP/plan.log" 2>/dev/null || echo "(the job ended before tofu plan ran)"; echo '\`\`\`'; } > "$report"`,
      "    ;;",
      "esac",
      'cat "$report" >> "$GITHUB_STEP_SUMMARY"',
      "",
    ].join("\n"),
  };
  return {
    name: `Plan ${stack}`,
    runsOn: TOOLCHAIN.runner,
    // The plans' environment: the read-only planner, which can change nothing it plans.
    environment: planEnvironment(env, github),
    permissions: { contents: "read", idToken: "write" },
    timeoutMinutes: 20,
    outputs: { result: DRIFT_PLAN.expr("result") },
    steps: [
      // What the environment's applies would apply: its deploy branch.
      checkoutRepository(env.branch),
      ...installNode(infra),
      synth(infra),
      setupTofu(),
      ...authenticate(),
      tofuInit(dir, backend),
      plan,
      report,
      {
        name: "Keep the report for the issue job",
        if: "always()",
        uses: ACTIONS.uploadArtifact,
        with: { name: `drift-${stack}`, path: REPORT, "retention-days": 7, "if-no-files-found": "ignore" },
      },
      { name: "Fail when the stack cannot be planned", if: `${DRIFT_PLAN.ref("result")} != 'clean' && ${DRIFT_PLAN.ref("result")} != 'drift'`, run: 'echo "::error::tofu plan failed: this is not drift, see the report"\nexit 1\n' },
    ],
  };
}

/**
 * Keeps one issue per stack in step with the result. The script is the same
 * for every stack; what differs reaches it through `env`.
 */
export const DRIFT_ISSUE_SCRIPT = [
  // Numbers of the open drift issues titled exactly "$1" (gh searches titles loosely).
  "open_issues() {",
  `  gh issue list --repo "$GITHUB_REPOSITORY" --state open --label ${PIPELINE_LABELS.drift} --limit 200 --json number,title --template '{{range .}}{{.number}}{{"\\t"}}{{.title}}{{"\\n"}}{{end}}' |`,
  "    while IFS=$'\\t' read -r number name; do if [ \"$name\" = \"$1\" ]; then echo \"$number\"; fi; done",
  "}",
  'body="$RUNNER_TEMP/body-$STACK.md"',
  'if [ -f "$REPORT" ]; then cat "$REPORT" > "$body"; else echo "The plan job of $STACK ended before it wrote a report." > "$body"; fi',
  'printf "\\nRun: %s\\n" "$RUN_URL" >> "$body"',
  'drift="$(open_issues "$DRIFT_TITLE")"; drift="${drift%%$\'\\n\'*}"',
  'failed="$(open_issues "$FAILED_TITLE")"; failed="${failed%%$\'\\n\'*}"',
  'case "$RESULT" in',
  "  drift)",
  '    if [ -n "$drift" ]; then',
  '      gh issue edit "$drift" --repo "$GITHUB_REPOSITORY" --body-file "$body"',
  '      gh issue comment "$drift" --repo "$GITHUB_REPOSITORY" --body "Still drifting: $RUN_URL"',
  "    else",
  '      gh issue create --repo "$GITHUB_REPOSITORY" --title "$DRIFT_TITLE" --label "$LABELS" --body-file "$body"',
  "    fi",
  "    ;;",
  "  clean)",
  '    if [ -n "$drift" ]; then gh issue close "$drift" --repo "$GITHUB_REPOSITORY" --comment "No drift any more: $RUN_URL"; fi',
  "    ;;",
  "  *)",
  // Not drift: the drift issue stays as it is, whatever it says.
  '    if [ -n "$failed" ]; then',
  '      gh issue comment "$failed" --repo "$GITHUB_REPOSITORY" --body-file "$body"',
  "    else",
  '      gh issue create --repo "$GITHUB_REPOSITORY" --title "$FAILED_TITLE" --label "$FAILED_LABELS" --body-file "$body"',
  "    fi",
  "    ;;",
  "esac",
  'if [ "$RESULT" = drift ] || [ "$RESULT" = clean ]; then',
  '  if [ -n "$failed" ]; then gh issue close "$failed" --repo "$GITHUB_REPOSITORY" --comment "Planned again: $RUN_URL"; fi',
  "fi",
  "",
].join("\n");

function issuesJob(targets: readonly DriftTarget[]): Job {
  return {
    name: "Open, update or close the drift issues",
    runsOn: TOOLCHAIN.runner,
    needs: targets.map((t) => t.job),
    // Also after a failed plan job: that is reported too, as what it is.
    if: "always()",
    // No cloud credentials here, and no npm ci: only the issue token.
    permissions: { issues: "write" },
    timeoutMinutes: 10,
    steps: [
      { name: "Fetch the reports", uses: ACTIONS.downloadArtifact, with: { pattern: "drift-*", path: "drift" } },
      ...targets.map((t): Step => {
        const titles = driftIssueTitles(t.stack);
        return {
          name: `Issue of ${t.stack}`,
          // Each stack on its own: a failed gh call for one must not silence the others.
          if: "always()",
          env: {
            GH_TOKEN: "${{ github.token }}",
            STACK: t.stack,
            RESULT: `\${{ needs.${t.job}.outputs.result }}`,
            REPORT: `drift/drift-${t.stack}/report.md`,
            DRIFT_TITLE: titles.drift,
            FAILED_TITLE: titles.failed,
            LABELS: [PIPELINE_LABELS.drift, t.env.name].join(","),
            FAILED_LABELS: [PIPELINE_LABELS.drift, t.env.name, PIPELINE_LABELS.failure].join(","),
            RUN_URL,
          },
          run: DRIFT_ISSUE_SCRIPT,
        };
      }),
    ],
  };
}

/** The drift detection of `environments`. */
export function driftWorkflow(environments: readonly EnvironmentConfig[], github: GithubConfig): WorkflowFile {
  const targets = driftTargets(environments);
  return {
    file: DRIFT_WORKFLOW_FILE,
    role: { kind: "drift" },
    workflow: {
      name: "Drift detection",
      on: { schedule: [{ cron: DRIFT_SCHEDULE }], workflowDispatch: true },
      permissions: {},
      // Two runs would race on the same issues; the later one waits.
      concurrency: { group: "drift", cancelInProgress: false },
      jobs: { ...Object.fromEntries(targets.map((t) => [t.job, planJob(t, github)])), report: issuesJob(targets) },
    },
  };
}
