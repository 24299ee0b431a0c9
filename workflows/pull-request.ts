import { PULL_REQUEST_CHECK } from "../lib/github";
import type { GithubConfig } from "../environments/github";
import type { EnvironmentConfig } from "../environments/types";
import type { WorkflowFile } from "./model";
import { checkoutRepository, installNode, setupTofu, synth } from "./steps";
import { TOOLCHAIN } from "./toolchain";

/**
 * Checks of every pull request into a deploy branch, application changes
 * included (the `main` ruleset requires this check, so it must run on every
 * PR): type check and tests, synth, then OpenTofu's own validation of each
 * stack folder, without a backend, so no credentials are involved.
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
      },
    },
  };
}
