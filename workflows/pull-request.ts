import type { EnvironmentConfig } from "../environments/types";
import type { WorkflowFile } from "./model";
import { checkoutRepository, installNode, setupTofu, synth } from "./steps";
import { TOOLCHAIN } from "./toolchain";

/**
 * Checks of every pull request into a deploy branch: type check and tests,
 * synth, then OpenTofu's own validation of each stack folder, without a
 * backend, so no credentials are involved.
 */
export function pullRequestWorkflow(environments: readonly EnvironmentConfig[]): WorkflowFile {
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
          name: "Test, synthesize and validate",
          runsOn: TOOLCHAIN.runner,
          permissions: { contents: "read" },
          timeoutMinutes: 30,
          steps: [
            // The default ref of a pull_request event: the merge result, what main would become.
            checkoutRepository(),
            ...installNode(),
            { name: "npm test", run: "npm test" },
            synth(),
            { name: "Check the stack folders", run: "node scripts/check-synth.mjs cdktf.out" },
            setupTofu(),
            {
              name: "tofu validate every stack",
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
