/** Phases 1 and 3: build images from the application repository, then commit or propose the new tags. */
import type { ServiceDefinition } from "../catalog";
import { PIPELINE_LABELS } from "../constructs/github/settings";
import { serviceUrlsSecretId, tfvarsFile } from "../lib/naming";
import { phaseWorkflowFile, phaseWorkflowName, startCondition, title, triggers, type Context } from "./context";
import type { Job, Step, Workflow } from "./model";
import { failureReportJob } from "./report";
import { appVersion, authenticate, checkoutApp, checkoutRepository, configureDocker, installNode, RUN_URL, variable } from "./steps";
import { ACTIONS, APP_DIR, SECRETS, TOOLCHAIN } from "./toolchain";

/** Phases 1 and 3: build and push images of `deployables`, then point the tfvars file at them. */
export function buildPhase(ctx: Context, phase: 1 | 3, deployables: readonly ServiceDefinition[]): Workflow {
  const { env, github } = ctx;
  const gateway = phase === 3;
  const what = gateway ? "gateway image" : "service images";
  const version: Job = {
    name: "Read the version of the application",
    runsOn: TOOLCHAIN.runner,
    if: startCondition(ctx, phase),
    permissions: { contents: "read" },
    timeoutMinutes: 5,
    outputs: { tag: "${{ steps.version.outputs.tag }}", sha: "${{ steps.version.outputs.sha }}" },
    // Assumption: the application repository has a branch of the same name as this environment's.
    steps: [checkoutApp(github, env.branch), appVersion()],
  };
  const build = gateway ? gatewayBuildJob(ctx, deployables) : serviceBuildJob(ctx, deployables);
  const update = updateTfvarsJob(ctx, deployables, what, gateway);
  return {
    name: phaseWorkflowName(env, phase),
    on: triggers(ctx, phase),
    permissions: {},
    // One build of an environment at a time; a newer push waits rather than racing it to the tfvars file.
    concurrency: { group: phaseWorkflowFile(env, phase).replace(/\.yml$/, ""), cancelInProgress: false },
    jobs: {
      version,
      build,
      "update-tfvars": update,
      report: failureReportJob(ctx, ["version", "build", "update-tfvars"], `❌ ${title(env)} ${gateway ? "gateway image" : "image"} build failed`, gateway),
    },
  };
}

function serviceBuildJob(ctx: Context, services: readonly ServiceDefinition[]): Job {
  return {
    name: "Build ${{ matrix.image }}",
    runsOn: TOOLCHAIN.runner,
    needs: ["version"],
    environment: ctx.names.unattended,
    permissions: { contents: "read", idToken: "write" },
    timeoutMinutes: 30,
    strategy: {
      // One failed image fails the phase: the tfvars file never points at a half-built release.
      failFast: true,
      matrix: { include: services.map((s) => ({ image: s.image, ...ctx.github.appImages[s.image] })) },
    },
    steps: [
      checkoutApp(ctx.github, "${{ needs.version.outputs.sha }}"),
      ...authenticate(),
      configureDocker(),
      {
        name: "Build and push",
        env: {
          IMAGE: `${variable("GCP_REGISTRY")}/\${{ matrix.image }}:\${{ needs.version.outputs.tag }}`,
          DOCKERFILE: `${APP_DIR}/\${{ matrix.dockerfile }}`,
          CONTEXT: `${APP_DIR}/\${{ matrix.context }}`,
        },
        run: ['docker build --tag "$IMAGE" --file "$DOCKERFILE" "$CONTEXT"', 'docker push "$IMAGE"', ""].join("\n"),
      },
    ],
  };
}

function gatewayBuildJob(ctx: Context, gateways: readonly ServiceDefinition[]): Job {
  const { env, github } = ctx;
  const [gateway] = gateways;
  const build = github.appImages[gateway.image];
  return {
    name: `Build ${gateway.image} with the service URLs`,
    runsOn: TOOLCHAIN.runner,
    needs: ["version"],
    environment: ctx.names.unattended,
    permissions: { contents: "read", idToken: "write" },
    timeoutMinutes: 30,
    steps: [
      checkoutRepository(env.branch),
      ...installNode(),
      checkoutApp(github, "${{ needs.version.outputs.sha }}"),
      ...authenticate(),
      configureDocker(),
      {
        // Written by the services stack's apply (phase 2); this job only reads it.
        name: `Fetch ${serviceUrlsSecretId(env)}`,
        env: { PROJECT: variable("GCP_PROJECT_ID") },
        run: `gcloud secrets versions access latest --secret=${serviceUrlsSecretId(env)} --project="$PROJECT" > urls.json\n`,
      },
      {
        name: "Turn the URLs into build args",
        run: `npm run -s build-args -- --env ${env.name} --file urls.json > build-args.txt\n`,
      },
      {
        name: "Build and push",
        env: {
          IMAGE: `${variable("GCP_REGISTRY")}/${gateway.image}:\${{ needs.version.outputs.tag }}`,
          DOCKERFILE: `${APP_DIR}/${build.dockerfile}`,
          CONTEXT: `${APP_DIR}/${build.context}`,
        },
        run: [
          // Each line is "--build-arg NAME=value"; split once so a value stays one argument.
          "args=()",
          'while IFS= read -r line; do args+=("${line%% *}" "${line#* }"); done < build-args.txt',
          'docker build "${args[@]}" --tag "$IMAGE" --file "$DOCKERFILE" "$CONTEXT"',
          'docker push "$IMAGE"',
          "",
        ].join("\n"),
      },
    ],
  };
}

/** Points the environment's tfvars file at the new tag, then commits it or opens a PR. */
function updateTfvarsJob(ctx: Context, deployables: readonly ServiceDefinition[], what: string, gateway: boolean): Job {
  const { env } = ctx;
  const tfvars = `environments/${tfvarsFile(env)}`;
  const message = `deploy(${env.name}): ${what} \${{ needs.version.outputs.tag }}`;
  const setImages: Step = {
    name: `Point ${tfvars} at the new ${what}`,
    env: { TAG: "${{ needs.version.outputs.tag }}" },
    run: deployables.map((s) => `npm run -s set-image -- --env ${env.name} --service ${s.name} --tag "$TAG"`).join("\n") + "\n",
  };
  const publish: Step = ctx.byPullRequest
    ? {
        name: `Open a pull request to ${env.branch}`,
        uses: ACTIONS.createPullRequest,
        with: {
          token: `\${{ secrets.${SECRETS.deployPullRequestToken} || github.token }}`,
          base: env.branch,
          branch: `deploy/${env.name}/${gateway ? "gateway" : "services"}`,
          "add-paths": tfvars,
          "commit-message": message,
          title: message,
          body: [
            `Built by ${RUN_URL}.`,
            "",
            `Merging starts **${phaseWorkflowName(env, gateway ? 4 : 2)}**: it plans, then waits for approval in the GitHub environment \`${ctx.names.deploy}\` before it applies.`,
          ].join("\n"),
          labels: [PIPELINE_LABELS.deployment, env.name, ...(gateway ? [PIPELINE_LABELS.gateway] : [])].join(","),
          "delete-branch": true,
        },
      }
    : {
        // Pushed with the job's token, which starts no workflow: the next phase follows by workflow_run.
        name: `Commit to ${env.branch}`,
        env: { TFVARS: tfvars, MESSAGE: message, BRANCH: env.branch, TOKEN: "${{ github.token }}" },
        run: [
          'git config user.name "github-actions[bot]"',
          'git config user.email "41898282+github-actions[bot]@users.noreply.github.com"',
          'git add "$TFVARS"',
          "if git diff --cached --quiet; then",
          '  echo "The tfvars file already names these images; nothing to commit."',
          "  exit 0",
          "fi",
          'git commit -m "$MESSAGE"',
          // The token goes to these two commands only (as actions/checkout would set it), not to .git/config.
          'auth=(-c "http.https://github.com/.extraheader=AUTHORIZATION: basic $(printf \'x-access-token:%s\' "$TOKEN" | base64 -w0)")',
          // Another push may have landed during the build.
          'git "${auth[@]}" pull --rebase origin "$BRANCH"',
          'git "${auth[@]}" push origin "HEAD:$BRANCH"',
          "",
        ].join("\n"),
      };
  return {
    name: ctx.byPullRequest ? "Propose the new images" : "Commit the new images",
    runsOn: TOOLCHAIN.runner,
    needs: ["version", "build"],
    permissions: ctx.byPullRequest ? { contents: "write", pullRequests: "write" } : { contents: "write" },
    timeoutMinutes: 10,
    steps: [
      // Full history: the commit is rebased onto whatever landed on the branch meanwhile.
      checkoutRepository(env.branch, { fetchDepth: 0 }),
      ...installNode(),
      setImages,
      publish,
    ],
  };
}
