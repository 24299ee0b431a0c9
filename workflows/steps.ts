/**
 * Steps shared by the generated workflows. Each takes what differs as
 * arguments; nothing here knows an environment's name.
 */
import { ACTIONS_VARIABLES } from "../lib/github";
import type { Step } from "./model";
import { ACTIONS, TOOLCHAIN } from "./toolchain";

/** `${{ vars.NAME }}`. */
export function variable(name: string): string {
  return `\${{ vars.${name} }}`;
}

/**
 * Checks out the repository at `ref` (default: the event's commit). The token
 * is never left in .git/config: `npm ci` runs afterwards.
 */
export function checkoutRepository(ref?: string, options: { fetchDepth?: number } = {}): Step {
  return {
    name: "Check out the repository",
    uses: ACTIONS.checkout,
    with: { ...(ref === undefined ? {} : { ref }), "fetch-depth": options.fetchDepth ?? 1, "persist-credentials": false },
  };
}

/** The flag every `npm ci` carries: no dependency's install script runs, least of all where cloud credentials can be minted. */
export const IGNORE_SCRIPTS = "--ignore-scripts";

/** Node, then exactly the locked dependencies of this project (in `infra`), running none of their install scripts. */
export function installNode(infra: string): Step[] {
  return [
    { name: "Set up Node", uses: ACTIONS.setupNode, with: { "node-version": TOOLCHAIN.node, cache: "npm", "cache-dependency-path": `${infra}/package-lock.json` } },
    { name: "Install dependencies", workingDirectory: infra, run: `npm ci ${IGNORE_SCRIPTS} --no-audit --no-fund` },
  ];
}

/** `npx cdktf synth` in `infra`: every stack folder under infra/cdktf.out/stacks/. */
export function synth(infra: string): Step {
  return { name: "Synthesize", workingDirectory: infra, run: "npx cdktf synth", env: { CHECKPOINT_DISABLE: "1" } };
}

/** A stack's folder, relative to the repository root: `infra/cdktf.out/stacks/services-staging`. */
export function stackDir(infra: string, stack: string): string {
  return `${infra}/${synthesizedStackDir(stack)}`;
}

/** A stack's folder, relative to `infra` (for steps that run npm there): `cdktf.out/stacks/services-staging`. */
export function synthesizedStackDir(stack: string): string {
  return `cdktf.out/stacks/${stack}`;
}

/** The pinned OpenTofu, without the wrapper (it would rewrite exit codes and output). */
export function setupTofu(): Step {
  return { name: "Set up OpenTofu", uses: ACTIONS.setupTofu, with: { tofu_version: TOOLCHAIN.tofu, tofu_wrapper: false } };
}

/** Workload Identity Federation as the account named by the job's GitHub environment. */
export function authenticate(): Step[] {
  return [
    {
      name: "Authenticate to Google Cloud",
      uses: ACTIONS.auth,
      with: {
        workload_identity_provider: variable(ACTIONS_VARIABLES.workloadIdentityProvider),
        service_account: variable(ACTIONS_VARIABLES.serviceAccount),
      },
    },
    { name: "Set up gcloud", uses: ACTIONS.setupGcloud },
  ];
}

/** Lets docker push to the environment's registry host. */
export function configureDocker(): Step {
  return {
    name: "Configure docker for Artifact Registry",
    env: { REGISTRY: variable(ACTIONS_VARIABLES.registry) },
    run: 'gcloud auth configure-docker "${REGISTRY%%/*}" --quiet',
  };
}

/** `tofu init` in `dir`, completing a partial backend from `backendConfig` when given. */
export function tofuInit(dir: string, backendConfig: string | undefined): Step {
  const flag = backendConfig === undefined ? "" : ` -backend-config=${backendConfig}`;
  return { name: "tofu init", workingDirectory: dir, run: `tofu init -input=false${flag}` };
}

/** Opens an issue through the `gh` CLI of the runner. */
export function openIssue(options: { name: string; if: string; title: string; labels: readonly string[]; body: string }): Step {
  return {
    name: options.name,
    if: options.if,
    env: {
      GH_TOKEN: "${{ github.token }}",
      TITLE: options.title,
      LABELS: options.labels.join(","),
      BODY: options.body,
    },
    run: 'gh issue create --repo "$GITHUB_REPOSITORY" --title "$TITLE" --label "$LABELS" --body "$BODY"\n',
  };
}

/** Link to the current run, for issue and PR bodies. */
export const RUN_URL = "${{ github.server_url }}/${{ github.repository }}/actions/runs/${{ github.run_id }}";
