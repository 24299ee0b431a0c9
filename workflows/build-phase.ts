/** Phases 1 and 3: build images from the application repository, then commit or propose the new tags. */
import type { ServiceDefinition } from "../catalog";
import { serviceUrlsSecretId } from "../lib/naming";
import { imageUpdateConcurrency, phaseWorkflowFile, phaseWorkflowName, startCondition, title, triggers, type Context } from "./context";
import type { Job, Step, Workflow } from "./model";
import { publishPermissions, publishTfvars, tfvarsPath } from "./publish";
import { failureReportJob } from "./report";
import { appVersion, authenticate, checkoutApp, checkoutRepository, configureDocker, installNode, RUN_URL, variable } from "./steps";
import { APP_DIR, TOOLCHAIN } from "./toolchain";

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
      report: failureReportJob(ctx, ["version", "build", "update-tfvars"], {
        title: `❌ ${title(env)} ${gateway ? "gateway image" : "image"} build failed`,
        outcome: "An image build failed",
        gateway,
      }),
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
  const tfvars = tfvarsPath(ctx);
  const message = `deploy(${env.name}): ${what} \${{ needs.version.outputs.tag }}`;
  const setImages: Step = {
    name: `Point ${tfvars} at the new ${what}`,
    env: { TAG: "${{ needs.version.outputs.tag }}" },
    run: deployables.map((s) => `npm run -s set-image -- --env ${env.name} --service ${s.name} --tag "$TAG"`).join("\n") + "\n",
  };
  const publish = publishTfvars(ctx, {
    message,
    pullRequestBranch: `deploy/${env.name}/${gateway ? "gateway" : "services"}`,
    pullRequestBody: [
      `Built by ${RUN_URL}.`,
      "",
      `Merging starts **${phaseWorkflowName(env, gateway ? 4 : 2)}**: it plans, then waits for approval in the GitHub environment \`${ctx.names.deploy}\` before it applies.`,
    ].join("\n"),
    gateway,
  });
  return {
    name: ctx.byPullRequest ? "Propose the new images" : "Commit the new images",
    runsOn: TOOLCHAIN.runner,
    needs: ["version", "build"],
    permissions: publishPermissions(ctx),
    // Shared with the other image update of this environment and with its rollback.
    concurrency: imageUpdateConcurrency(env),
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
