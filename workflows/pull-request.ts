import { PULL_REQUEST_CHECK } from "../lib/github";
import type { GithubConfig } from "../environments/github";
import type { EnvironmentConfig } from "../environments/types";
import { ALLOW_DESTROY_LABEL } from "../lib/plan";
import { planEnvironment } from "../lib/ci";
import { backendConfigFile, stackName, type StackKind } from "../lib/naming";
import type { Job, Step, WorkflowFile } from "./model";
import { planSummaryCommand } from "./plan-summary";
import { authenticate, checkoutRepository, installNode, setupTofu, synth, synthesizedStackDir } from "./steps";
import { ACTIONS, TOOLCHAIN } from "./toolchain";

/** Every stack of an environment, in apply order: what a pull request's plan covers. */
export const PULL_REQUEST_PLAN_KINDS: readonly StackKind[] = ["foundation", "services", "gateway"];

/** The first line of the one plan comment a pull request gets; the comment job finds it by this. */
export const PLAN_COMMENT_MARKER = "<!-- pull-request-plan -->";

/** Pull requests from forks get no OIDC token (and no secrets), so they cannot plan. */
export const SAME_REPOSITORY = "github.event.pull_request.head.repo.full_name == github.repository";

/** The job id of an environment's plan: `plan-staging`. */
export function pullRequestPlanJob(env: EnvironmentConfig): string {
  return `plan-${env.name}`;
}

/** Where the plan job writes one stack's section of the comment. */
const SECTIONS = "${{ runner.temp }}/pr-plan";

/**
 * Plans one stack with the planner and writes its section: the
 * `plan-summary` of a plan, or why there is none. Never fails itself, so
 * every stack is planned; the job's last step fails if one could not be.
 */
function planStackStep(env: EnvironmentConfig, stack: string, infra: string): Step {
  const dir = synthesizedStackDir(stack);
  const backend = env.backend.mode === "partial" ? ` -backend-config=${backendConfigFile(env)}` : "";
  return {
    name: `Plan ${stack}`,
    if: "always()",
    workingDirectory: infra,
    env: { ALLOW: `\${{ contains(github.event.pull_request.labels.*.name, '${ALLOW_DESTROY_LABEL}') && '${ALLOW_DESTROY_LABEL}' || '' }}` },
    run: [
      'mkdir -p "$RUNNER_TEMP/pr-plan"',
      `section="$RUNNER_TEMP/pr-plan/${stack}.md"`,
      `log="$RUNNER_TEMP/pr-plan/${stack}.log"`,
      'allow=(); if [ -n "$ALLOW" ]; then allow=(--allow "$ALLOW"); fi',
      "set +e",
      // -lock=false: the planner may read state, not write the lock; nothing is applied.
      `{ tofu -chdir=${dir} init -input=false${backend} && tofu -chdir=${dir} plan -lock=false -input=false -no-color -out=plan.tfplan; } > "$log" 2>&1`,
      "code=$?",
      "if [ \"$code\" -eq 0 ]; then",
      `  tofu -chdir=${dir} show -json plan.tfplan > "$RUNNER_TEMP/pr-plan/${stack}.json"`,
      `  ${planSummaryCommand(env, stack, `"$RUNNER_TEMP/pr-plan/${stack}.json"`, ' "${allow[@]}"')} > "$section"`,
      "  verdict=$?",
      "else",
      `  { echo "### ${stack} cannot be planned"; echo; echo '\`\`\`'; tail -n 40 "$log"; echo '\`\`\`'; } > "$section"`,
      "  verdict=1",
      "fi",
      "set -e",
      'cat "$log"',
      'cat "$section" >> "$GITHUB_STEP_SUMMARY"',
      `if [ "$verdict" -ne 0 ]; then echo "${stack}" >> "$RUNNER_TEMP/pr-plan/failed"; fi`,
      "",
    ].join("\n"),
  };
}

/**
 * The plan of every stack of `env` for a pull request into its branch, as the
 * read-only planner of the plans' GitHub environment: the sections of the
 * comment, kept as an artifact for the comment job. Skipped for forks.
 */
function planJob(env: EnvironmentConfig, github: GithubConfig): Job {
  const infra = github.infraDirectory;
  const stacks = PULL_REQUEST_PLAN_KINDS.map((kind) => stackName(env, kind));
  return {
    name: `Plan ${env.name}`,
    runsOn: TOOLCHAIN.runner,
    if: `github.base_ref == '${env.branch}' && ${SAME_REPOSITORY}`,
    environment: planEnvironment(env, github),
    // No pull-requests write here: this job runs the pull request's code with cloud credentials.
    permissions: { contents: "read", idToken: "write" },
    timeoutMinutes: 30,
    steps: [
      checkoutRepository(),
      ...installNode(infra),
      synth(infra),
      setupTofu(),
      ...authenticate(),
      ...stacks.map((stack) => planStackStep(env, stack, infra)),
      {
        name: "Keep the sections for the comment job",
        if: "always()",
        uses: ACTIONS.uploadArtifact,
        with: { name: `pr-plan-${env.name}`, path: `${SECTIONS}/*.md`, "retention-days": 7, "if-no-files-found": "ignore" },
      },
      {
        name: "Fail when a stack cannot be planned or its plan is refused",
        if: "always()",
        run: 'if [ -s "$RUNNER_TEMP/pr-plan/failed" ]; then echo "::error::not planned or refused: $(paste -sd " " "$RUNNER_TEMP/pr-plan/failed")"; exit 1; fi\n',
      },
    ],
  };
}

/**
 * Finds the pull request's plan comment by {@link PLAN_COMMENT_MARKER} and
 * updates it, or creates it: one comment, however often the PR is pushed.
 */
export const PLAN_COMMENT_SCRIPT = [
  'body="$RUNNER_TEMP/plan-comment.md"',
  '{ echo "$MARKER"; echo "## Plan of $ENVIRONMENT"; echo; echo "Read-only, with -lock=false: what merging this pull request would change. Run: $RUN_URL"; echo; } > "$body"',
  "found=0",
  'for stack in $STACKS; do',
  '  section="pr-plan/$stack.md"',
  '  if [ -f "$section" ]; then cat "$section" >> "$body"; found=1; else printf "### %s\\n\\nThe plan job ended before it planned this stack.\\n" "$stack" >> "$body"; fi',
  '  echo >> "$body"',
  "done",
  'if [ "$found" = 0 ] && [ "$PLAN_RESULT" = skipped ]; then exit 0; fi',
  // The ids of comments holding the marker; the first is ours.
  `existing="$(gh api "repos/$GITHUB_REPOSITORY/issues/$PR/comments" --paginate --jq ".[] | select(.body | startswith(\"$MARKER\")) | .id" | head -n 1)"`,
  'if [ -n "$existing" ]; then',
  '  gh api --method PATCH "repos/$GITHUB_REPOSITORY/issues/comments/$existing" -F "body=@$body" > /dev/null',
  "else",
  '  gh api --method POST "repos/$GITHUB_REPOSITORY/issues/$PR/comments" -F "body=@$body" > /dev/null',
  "fi",
  "",
].join("\n");

/** One comment job per environment: no cloud credentials and no npm, only the token that writes the comment. */
function commentJob(env: EnvironmentConfig): Job {
  const plan = pullRequestPlanJob(env);
  return {
    name: `Comment the plan of ${env.name}`,
    runsOn: TOOLCHAIN.runner,
    needs: [plan],
    // Also after a failed plan: the comment says which stack could not be planned.
    if: `always() && github.base_ref == '${env.branch}' && ${SAME_REPOSITORY}`,
    permissions: { pullRequests: "write" },
    timeoutMinutes: 10,
    steps: [
      { name: "Fetch the sections", uses: ACTIONS.downloadArtifact, with: { name: `pr-plan-${env.name}`, path: "pr-plan" } },
      {
        name: "Create or update the plan comment",
        if: "always()",
        env: {
          GH_TOKEN: "${{ github.token }}",
          PR: "${{ github.event.pull_request.number }}",
          MARKER: PLAN_COMMENT_MARKER,
          ENVIRONMENT: env.name,
          STACKS: PULL_REQUEST_PLAN_KINDS.map((kind) => stackName(env, kind)).join(" "),
          PLAN_RESULT: `\${{ needs.${plan}.result }}`,
          RUN_URL: "${{ github.server_url }}/${{ github.repository }}/actions/runs/${{ github.run_id }}",
        },
        run: PLAN_COMMENT_SCRIPT,
      },
    ],
  };
}

/** Says why a pull request from a fork shows no plan, instead of failing on a missing token. */
function forkNoticeJob(): Job {
  return {
    name: "No plan for a fork",
    runsOn: TOOLCHAIN.runner,
    if: `!(${SAME_REPOSITORY})`,
    permissions: {},
    timeoutMinutes: 5,
    steps: [
      {
        name: "Say why there is no plan",
        run: [
          'msg="This pull request comes from a fork: GitHub gives its jobs no OIDC token, so nothing can sign in as the planner and no plan runs. A maintainer sees the plan once the branch is pushed to this repository, and the apply phases plan again before any approval."',
          'echo "::notice::$msg"',
          'echo "$msg" >> "$GITHUB_STEP_SUMMARY"',
          "",
        ].join("\n"),
      },
    ],
  };
}

/**
 * Checks of every pull request into a deploy branch, application changes
 * included (the `main` ruleset requires this check, so it must run on every
 * PR): type check and tests, synth, then OpenTofu's own validation of each
 * stack folder, without a backend, so no credentials are involved. Beside it,
 * the plan of every stack of the environment the base branch deploys, as the
 * read-only planner, summarized in one PR comment (skipped, and said so, for
 * a fork).
 */
export function pullRequestWorkflow(environments: readonly EnvironmentConfig[], github: GithubConfig): WorkflowFile {
  const infra = github.infraDirectory;
  return {
    file: "pull-request.yml",
    role: { kind: "pull-request" },
    workflow: {
      name: "Pull Request",
      on: { pullRequest: { branches: [...new Set(environments.map((e) => e.branch))] } },
      permissions: { contents: "read" },
      // A new push to the PR makes the older check pointless.
      concurrency: { group: "pull-request-${{ github.event.pull_request.number }}", cancelInProgress: true },
      jobs: {
        check: {
          name: PULL_REQUEST_CHECK,
          runsOn: TOOLCHAIN.runner,
          permissions: { contents: "read" },
          timeoutMinutes: 30,
          steps: [
            // The default ref of a pull_request event: the merge result, what main would become.
            checkoutRepository(),
            ...installNode(infra),
            { name: "npm test", workingDirectory: infra, run: "npm test" },
            synth(infra),
            { name: "Check the stack folders", workingDirectory: infra, run: "node scripts/check-synth.mjs cdktf.out" },
            setupTofu(),
            {
              name: "tofu validate every stack",
              workingDirectory: infra,
              // Stacks share providers: download each once, not once per stack folder.
              env: { TF_PLUGIN_CACHE_DIR: "${{ runner.temp }}/tofu-plugins" },
              run: [
                'mkdir -p "$TF_PLUGIN_CACHE_DIR"',
                "for dir in cdktf.out/stacks/*/; do",
                '  echo "::group::$dir"',
                '  tofu -chdir="$dir" init -backend=false -input=false',
                '  tofu -chdir="$dir" validate',
                '  echo "::endgroup::"',
                "done",
                "",
              ].join("\n"),
            },
          ],
        },
        ...Object.fromEntries(
          environments.flatMap((env) => [
            [pullRequestPlanJob(env), planJob(env, github)],
            [`comment-${env.name}`, commentJob(env)],
          ]),
        ),
        "fork-notice": forkNoticeJob(),
      },
    },
  };
}
