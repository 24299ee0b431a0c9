/**
 * Steps shared by the generated workflows. Each takes what differs as
 * arguments; nothing here knows an environment's name.
 */
import type { GithubConfig } from "../environments/github";
import { ACTIONS_VARIABLES } from "../constructs/github/settings";
import type { Step } from "./model";
import { ACTIONS, APP_DIR, SECRETS, TOOLCHAIN } from "./toolchain";

/** `${{ vars.NAME }}`. */
export function variable(name: string): string {
  return `\${{ vars.${name} }}`;
}

/**
 * Checks out this repository at `ref` (default: the event's commit). The token
 * is never left in .git/config: `npm ci` runs dependency scripts afterwards.
 */
export function checkoutRepository(ref?: string, options: { fetchDepth?: number } = {}): Step {
  return {
    name: "Check out this repository",
    uses: ACTIONS.checkout,
    with: { ...(ref === undefined ? {} : { ref }), "fetch-depth": options.fetchDepth ?? 1, "persist-credentials": false },
  };
}

/** Checks out the application repository at `ref` into `app/`. */
export function checkoutApp(github: GithubConfig, ref: string): Step {
  return {
    name: `Check out ${github.owner}/${github.appRepository}`,
    uses: ACTIONS.checkout,
    with: {
      repository: `${github.owner}/${github.appRepository}`,
      ref,
      path: APP_DIR,
      token: `\${{ secrets.${SECRETS.appRepositoryToken} || github.token }}`,
      "persist-credentials": false,
    },
  };
}

/** Node, then exactly the locked dependencies. */
export function installNode(): Step[] {
  return [
    { name: "Set up Node", uses: ACTIONS.setupNode, with: { "node-version": TOOLCHAIN.node, cache: "npm" } },
    { name: "Install dependencies", run: "npm ci --no-audit --no-fund" },
  ];
}

/** `npx cdktf synth`: every stack folder under cdktf.out/stacks/. */
export function synth(): Step {
  return { name: "Synthesize", run: "npx cdktf synth", env: { CHECKPOINT_DISABLE: "1" } };
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

/** Reads the application's version tag, `v<VERSION>-<short sha>`, and the exact commit. */
export function appVersion(): Step {
  return {
    name: "Read the image tag",
    id: "version",
    run: [
      `tag="v$(tr -d '[:space:]' < ${APP_DIR}/VERSION)-$(git -C ${APP_DIR} rev-parse --short HEAD)"`,
      'echo "tag=$tag" >> "$GITHUB_OUTPUT"',
      `echo "sha=$(git -C ${APP_DIR} rev-parse HEAD)" >> "$GITHUB_OUTPUT"`,
      'echo "Image tag: $tag"',
      "",
    ].join("\n"),
  };
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
