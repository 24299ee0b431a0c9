/**
 * Phases 1 and 3: build the images whose inputs changed, then commit or
 * propose their new tags. Which images, and their tag, come from
 * `npm run build-plan` (ops/build-plan.ts): an image whose build inputs
 * (the catalog's `build.inputs`) did not change keeps the value the tfvars file names.
 * A tag is `v<VERSION>-<short sha>` of the commit it is built from, and
 * tags are immutable: a job that finds its tag in the registry already
 * (a re-run, or the same commit deployed again) keeps that image and pushes
 * nothing, so no run fails on an existing tag.
 */
import type { ServiceDefinition } from "../catalog";
import { serviceUrlsSecretId } from "../lib/naming";
import { imageUpdateConcurrency, phaseWorkflowFile, phaseWorkflowName, startCondition, title, triggers, type Context } from "./context";
import { stepOutputs, type Job, type Step, type Workflow } from "./model";
import { publishPermissions, publishTfvars, tfvarsPath } from "./publish";
import { failureReportJob } from "./report";
import { authenticate, checkoutRepository, configureDocker, installNode, RUN_URL, variable } from "./steps";
import { ACTIONS, TOOLCHAIN } from "./toolchain";

/** The artifact in which phase 2 records the commit it planned; phase 3 builds the gateway from it. */
export const DEPLOY_COMMIT_ARTIFACT = "deploy-commit";
/** The file inside {@link DEPLOY_COMMIT_ARTIFACT}. */
export const DEPLOY_COMMIT_FILE = "deploy-commit.txt";

/** Phases 1 and 3: build and push the changed images of `deployables`, then point the tfvars file at them. */
export function buildPhase(ctx: Context, phase: 1 | 3, deployables: readonly ServiceDefinition[]): Workflow {
  const { env } = ctx;
  const gateway = phase === 3;
  const what = gateway ? "gateway image" : "service images";
  const build = gateway ? gatewayBuildJob(ctx, deployables) : serviceBuildJob(ctx);
  return {
    name: phaseWorkflowName(env, phase),
    on: triggers(ctx, phase),
    permissions: {},
    // One build of an environment at a time; a newer push waits rather than racing it to the tfvars file.
    concurrency: { group: phaseWorkflowFile(env, phase).replace(/\.yml$/, ""), cancelInProgress: false },
    jobs: {
      plan: planJob(ctx, phase),
      build,
      "update-tfvars": updateTfvarsJob(ctx, what, gateway),
      report: failureReportJob(ctx, ["plan", "build", "update-tfvars"], {
        title: `❌ ${title(env)} ${gateway ? "gateway image" : "image"} build failed`,
        outcome: "An image build failed",
        gateway,
      }),
    },
  };
}

/**
 * The commit a phase builds from. Phase 1: the pushed commit (or the
 * branch's tip when started by hand). Phase 3: the commit the services apply
 * of phase 2 planned, from that run's artifact, so the gateway and its
 * services come from one commit; the branch's tip only when started by hand.
 */
function deployCommitSteps(ctx: Context, phase: 1 | 3): Step[] {
  const { env } = ctx;
  if (phase === 1) {
    return [
      checkoutRepository(`\${{ github.event_name == 'push' && github.sha || '${env.branch}' }}`, { fetchDepth: 0 }),
      { name: "Record the commit", id: COMMIT.id, run: 'echo "sha=$(git rev-parse HEAD)" >> "$GITHUB_OUTPUT"\n' },
    ];
  }
  return [
    checkoutRepository(env.branch, { fetchDepth: 0 }),
    {
      name: `Fetch the commit ${phaseWorkflowName(env, 2)} applied`,
      if: "github.event_name == 'workflow_run'",
      uses: ACTIONS.downloadArtifact,
      with: { name: DEPLOY_COMMIT_ARTIFACT, path: "${{ runner.temp }}/deploy-commit", "run-id": "${{ github.event.workflow_run.id }}", "github-token": "${{ github.token }}" },
    },
    {
      name: "Record the commit",
      id: COMMIT.id,
      env: { FILE: `\${{ runner.temp }}/deploy-commit/${DEPLOY_COMMIT_FILE}` },
      run: ['if [[ -f "$FILE" ]]; then sha="$(tr -d \'[:space:]\' < "$FILE")"; else sha="$(git rev-parse HEAD)"; fi', 'echo "sha=$sha" >> "$GITHUB_OUTPUT"', ""].join("\n"),
    },
  ];
}

/** The commit a build phase builds from. */
const COMMIT = stepOutputs("commit", ["sha"]);

/** What `build-plan` writes to `$GITHUB_OUTPUT`; the plan job passes each on under the same name. */
const BUILD_PLAN_OUTPUTS = ["tag", "commit", "build", "services", "matrix"] as const;
const BUILD_PLAN = stepOutputs("plan", BUILD_PLAN_OUTPUTS);

/** Reads VERSION and decides which images to build: the tag, the commit, the matrix. */
function planJob(ctx: Context, phase: 1 | 3): Job {
  const { env } = ctx;
  const stack = phase === 1 ? "services" : "gateway";
  return {
    name: `Decide which ${phase === 1 ? "service images" : "gateway image"} to build`,
    runsOn: TOOLCHAIN.runner,
    if: startCondition(ctx, phase),
    permissions: phase === 1 ? { contents: "read" } : { contents: "read", actions: "read" },
    timeoutMinutes: 10,
    outputs: Object.fromEntries(BUILD_PLAN_OUTPUTS.map((name) => [name, BUILD_PLAN.expr(name)])),
    steps: [
      // Full history: each image is compared with the commit its current tag was built from.
      ...deployCommitSteps(ctx, phase),
      ...installNode(ctx.infra),
      {
        // A missing or empty VERSION fails here, in one line.
        name: "Plan the builds",
        id: BUILD_PLAN.id,
        workingDirectory: ctx.infra,
        env: { COMMIT: COMMIT.expr("sha") },
        run: `npm run -s build-plan -- --env ${env.name} --stack ${stack} --commit "$COMMIT" >> "$GITHUB_OUTPUT"\n`,
      },
    ],
  };
}

/** Builds and pushes `$IMAGE` unless the registry has that tag already; `$BUILD` is the docker build command line. */
function buildAndPush(build: string): string {
  return [
    // Tags are immutable: an existing tag is this commit's image, built by an earlier run.
    'if gcloud artifacts docker images describe "$IMAGE" > /dev/null 2>&1; then',
    '  echo "$IMAGE exists already; keeping it."',
    "  exit 0",
    "fi",
    build,
    'docker push "$IMAGE"',
    "",
  ].join("\n");
}

/** What differs between the build jobs of phases 1 and 3. */
interface BuildJobSpec {
  readonly name: string;
  /** One row per image the plan job chose, or none for a single image. */
  readonly matrix?: string;
  /** The image name, Dockerfile and context, literal or from the matrix. */
  readonly image: string;
  readonly dockerfile: string;
  readonly context: string;
  /** Steps before signing in (npm, for the ops commands it runs). */
  readonly setup?: readonly Step[];
  /** Steps between signing in and the build (what the build args come from). */
  readonly prepare?: readonly Step[];
  /** Lines before the build command, and the command itself. */
  readonly buildScript: readonly string[];
  readonly buildCommand: string;
}

/**
 * Builds and pushes the images the plan job chose, from the commit it chose,
 * as the unattended identity: one job shape for the services' matrix and the gateway.
 */
function buildJob(ctx: Context, spec: BuildJobSpec): Job {
  return {
    name: spec.name,
    runsOn: TOOLCHAIN.runner,
    needs: ["plan"],
    if: "needs.plan.outputs.build == 'true'",
    environment: ctx.ci.environmentOf.unattended,
    permissions: { contents: "read", idToken: "write" },
    timeoutMinutes: 30,
    ...(spec.matrix === undefined
      ? {}
      : {
          strategy: {
            // One failed image fails the phase: the tfvars file never points at a half-built release.
            failFast: true,
            matrix: spec.matrix,
          },
        }),
    steps: [
      checkoutRepository("${{ needs.plan.outputs.commit }}"),
      ...(spec.setup ?? []),
      ...authenticate(),
      configureDocker(),
      ...(spec.prepare ?? []),
      {
        name: "Build and push",
        env: {
          IMAGE: `${variable("GCP_REGISTRY")}/${spec.image}:\${{ needs.plan.outputs.tag }}`,
          DOCKERFILE: spec.dockerfile,
          CONTEXT: spec.context,
        },
        run: [...spec.buildScript, buildAndPush(spec.buildCommand)].join("\n"),
      },
    ],
  };
}

function serviceBuildJob(ctx: Context): Job {
  return buildJob(ctx, {
    name: "Build ${{ matrix.image }}",
    matrix: "${{ fromJSON(needs.plan.outputs.matrix) }}",
    image: "${{ matrix.image }}",
    dockerfile: "${{ matrix.dockerfile }}",
    context: "${{ matrix.context }}",
    buildScript: [],
    buildCommand: 'docker build --tag "$IMAGE" --file "$DOCKERFILE" "$CONTEXT"',
  });
}

function gatewayBuildJob(ctx: Context, gateways: readonly ServiceDefinition[]): Job {
  const { env, infra } = ctx;
  const [gateway] = gateways;
  const { build } = gateway;
  return buildJob(ctx, {
    name: `Build ${gateway.image} with the service URLs`,
    image: gateway.image,
    dockerfile: build.dockerfile,
    context: build.context,
    setup: installNode(infra),
    prepare: [
      {
        // Written by the services stack's apply (phase 2); this job only reads it.
        name: `Fetch ${serviceUrlsSecretId(env)}`,
        env: { PROJECT: variable("GCP_PROJECT_ID") },
        run: `gcloud secrets versions access latest --secret=${serviceUrlsSecretId(env)} --project="$PROJECT" > "$RUNNER_TEMP/urls.json"\n`,
      },
      {
        name: "Turn the URLs into build args",
        workingDirectory: infra,
        run: `npm run -s build-args -- --env ${env.name} --file "$RUNNER_TEMP/urls.json" > "$RUNNER_TEMP/build-args.txt"\n`,
      },
    ],
    buildScript: [
      // Each line is "--build-arg NAME=value"; split once so a value stays one argument.
      "args=()",
      'while IFS= read -r line; do args+=("${line%% *}" "${line#* }"); done < "$RUNNER_TEMP/build-args.txt"',
    ],
    buildCommand: 'docker build "${args[@]}" --tag "$IMAGE" --file "$DOCKERFILE" "$CONTEXT"',
  });
}

/** Points the environment's tfvars file at the new tag for each image built, then commits it or opens a PR. */
function updateTfvarsJob(ctx: Context, what: string, gateway: boolean): Job {
  const { env } = ctx;
  const tfvars = tfvarsPath(ctx);
  const message = `deploy(${env.name}): ${what} \${{ needs.plan.outputs.tag }}`;
  const setImages: Step = {
    name: `Point ${tfvars} at the new ${what}`,
    workingDirectory: ctx.infra,
    env: { TAG: "${{ needs.plan.outputs.tag }}", SERVICES: "${{ needs.plan.outputs.services }}" },
    run: ["for service in $SERVICES; do", `  npm run -s set-image -- --env ${env.name} --service "$service" --tag "$TAG"`, "done", ""].join("\n"),
  };
  const publish = publishTfvars(ctx, {
    message,
    pullRequestBranch: `deploy/${env.name}/${gateway ? "gateway" : "services"}`,
    pullRequestBody: [
      `Built by ${RUN_URL} from \${{ needs.plan.outputs.commit }}.`,
      "",
      `Merging starts **${phaseWorkflowName(env, gateway ? 4 : 2)}**: it plans, then waits for approval in the GitHub environment \`${ctx.ci.environmentOf.deploy}\` before it applies.`,
    ].join("\n"),
    gateway,
  });
  return {
    name: ctx.byPullRequest ? "Propose the new images" : "Commit the new images",
    runsOn: TOOLCHAIN.runner,
    needs: ["plan", "build"],
    if: "needs.plan.outputs.build == 'true'",
    permissions: publishPermissions(ctx),
    // Shared with the other image update of this environment and with its rollback.
    concurrency: imageUpdateConcurrency(env),
    timeoutMinutes: 10,
    steps: [
      // Full history: the commit is rebased onto whatever landed on the branch meanwhile.
      checkoutRepository(env.branch, { fetchDepth: 0 }),
      ...installNode(ctx.infra),
      setImages,
      publish,
    ],
  };
}
