/**
 * The typed model of one deployment environment. Every per-environment fact
 * lives in a value of this type; stacks, generated files and workflows derive
 * from it, and constructs never branch on an environment's name.
 */
export interface EnvironmentConfig {
  /** Short name, used in stack names, labels and the URL secret (`staging`). */
  readonly name: string;

  /** The GCP project the environment deploys into. */
  readonly project: {
    /** Project id, e.g. `mindmirror-69`. */
    readonly id: string;
    /** Project number; part of every deterministic Cloud Run URL. */
    readonly number: string;
    /**
     * The other environments deploying into this same project, by name. They
     * share the project's Secret Manager secrets (`DATABASE_URL`, ...) and its
     * IAM, so synth refuses two environments in one project unless each names
     * the others here; their cloud names must still differ.
     * @default - none: the project is this environment's alone
     */
    readonly sharedWith?: readonly string[];
  };

  /** Region of every Cloud Run service and of the registry, e.g. `us-east4`. */
  readonly region: string;

  /** The git branch whose pushes deploy this environment. */
  readonly branch: string;

  /**
   * Its place in the order environments are listed, synthesized and shown in
   * (stacks, GitHub environments, the pull-request and drift workflows): the
   * environment a change reaches first comes first. Ties go by name.
   */
  readonly deployOrder: number;

  /** How cloud names are derived from a service's base name. */
  readonly naming: {
    /** Appended to Cloud Run service names: `-staging` gives `journal-service-staging`, `""` gives `journal-service`. */
    readonly serviceSuffix: string;
    /** Appended to service-account ids: `-production` gives `journal-service-production`. */
    readonly accountSuffix: string;
  };

  /** Where OpenTofu keeps this environment's state. */
  readonly backend: BackendConfig;

  /** Values handed to the applications. */
  readonly app: {
    /** `LOG_LEVEL` of every service. */
    readonly logLevel: LogLevel;
    /** `DEBUG` of every service. */
    readonly debug: boolean;
  };

  /**
   * Adopt what already exists in the live project: emit `import` blocks for
   * the Cloud Run services and runtime accounts the catalog marks as existing
   * (`adopt`), the catalog's buckets, the `service-urls-<env>` secret and the
   * registry, the Workload Identity pool and provider, the deployer account
   * and the state bucket, so the first
   * apply takes them over instead of failing with "already exists". Once they
   * are in state the blocks are no-ops. Turn it off for a new environment,
   * where there is nothing to import (an import of a missing object fails the
   * plan).
   */
  readonly importExisting: boolean;

  /** Protects Cloud Run services from `tofu destroy` and replacement. */
  readonly deletionProtection: boolean;

  /** Scaling of every Cloud Run service. */
  readonly scaling: {
    /** Instances kept warm. */
    readonly minInstances: number;
    /** Upper bound on instances, so a traffic spike cannot run up an unbounded bill. */
    readonly maxInstances: number;
    /** Requests one instance serves at once. */
    readonly concurrency: number;
  };

  /** The Artifact Registry repository images are pulled from. */
  readonly registry: {
    /** Registry location, e.g. `us-east4` (host `us-east4-docker.pkg.dev`). */
    readonly location: string;
    /** Repository id inside the project, e.g. `mindmirror`. */
    readonly repository: string;
  };

  /** Who may invoke the backend services. */
  readonly invoker: {
    /**
     * Keep the seven backends invokable by `allUsers`, as well as by their callers.
     *
     * The running apps call each other (and the gateway calls them) without a
     * Google-signed ID token, which Cloud Run requires once `allUsers` is gone.
     * Turn this off per environment once every caller sends
     * `Authorization: Bearer <ID token for the callee URL>` (see README,
     * "Service-to-service authentication").
     * @default false - only callers from the call graph may invoke a backend
     */
    readonly unauthenticatedBackends?: boolean;
  };

  /** The identities GitHub Actions authenticate as (Workload Identity Federation). */
  readonly ci: {
    /** Workload Identity pool id, e.g. `github-pool`. */
    readonly workloadIdentityPool: string;
    /** Workload Identity provider id in that pool, e.g. `github-oidc`. */
    readonly workloadIdentityProvider: string;
    /**
     * Account id of the deployer service account, e.g. `github-actions-staging`.
     * Where the environment has an approval gate (`approval.gate`), only jobs
     * of the gated GitHub environment may become it.
     */
    readonly deployerAccountId: string;
    /**
     * Account id of the read-only account that plans every stack of the
     * environment for pull requests and the drift detection, e.g.
     * `github-planner-staging`: it reads state, resources and their IAM
     * policies, and the service URLs, and can change nothing.
     */
    readonly plannerAccountId: string;
  };

  /** How changes to this environment are approved in GitHub. */
  readonly approval: {
    /**
     * Who lets `tofu apply` run: nobody (`{ kind: "none" }`), or the reviewers
     * of a GitHub environment. The GitHub environments, the CI account each
     * job becomes and the Workload Identity condition all derive from it
     * (`ciTopology` in lib/ci.ts).
     */
    readonly gate: ApprovalGate;
    /** Image updates arrive as pull requests instead of direct commits. */
    readonly imageUpdatesByPullRequest: boolean;
    /** Approvals a pull request to the deploy branch needs (0: no PR rule). */
    readonly requiredPullRequestApprovals: number;
  };

  /** Labels put on every labelled resource, besides `environment` and `service`. */
  readonly labels: Readonly<Record<string, string>>;
}

/** Whether a person approves each apply of an environment, and who. */
export type ApprovalGate = NoGate | ReviewerGate;

/**
 * No approval: applies run once their plan is done. Every pipeline job runs
 * in the GitHub environment named after the environment (`staging`) as the
 * deployer, and the read-only plans as the planner.
 */
export interface NoGate {
  readonly kind: "none";
}

/**
 * Applies wait in a GitHub environment until one of its required reviewers
 * approves. A gate only gates if the jobs nobody approves cannot become the
 * deployer, so they get a GitHub environment and an account of their own.
 */
export interface ReviewerGate {
  readonly kind: "reviewers";
  /** The GitHub environment `tofu apply` runs in, whose reviewers approve it, e.g. `production`. */
  readonly githubEnvironment: string;
  /**
   * GitHub logins who may approve (1-6, with the teams). The github provider
   * resolves them to ids at plan time.
   */
  readonly reviewers: readonly string[];
  /**
   * Numeric ids of GitHub teams whose members may approve too.
   * @default - none
   */
  readonly reviewerTeamIds?: readonly number[];
  /** Forbid the person who started a deploy from approving it. */
  readonly preventSelfReview: boolean;
  /** Where the jobs nobody approves run (image builds, the plans before each approval), and as whom. */
  readonly unattended: {
    /** Their GitHub environment, without reviewers, e.g. `production-ci`. */
    readonly githubEnvironment: string;
    /**
     * The account they become, e.g. `github-builder-production`: it pushes
     * images and reads what a plan refreshes, and changes nothing else, so a
     * job nobody approved cannot change what runs.
     */
    readonly builderAccountId: string;
  };
}

/** Log levels the services understand. */
export type LogLevel = "DEBUG" | "INFO" | "WARNING" | "ERROR";

/**
 * State in a GCS bucket. `complete` writes bucket and prefix into the
 * generated configuration (plain `tofu init`); `partial` leaves the backend
 * block empty and writes them to `<environment>.backend.hcl` beside it
 * (`tofu init -backend-config=<environment>.backend.hcl`).
 */
export interface BackendConfig {
  readonly mode: "complete" | "partial";
  /** State bucket, e.g. `mindmirror-tofu-state`. */
  readonly bucket: string;
  /** Prefix of this environment; each stack adds its own segment (`envs/staging/services`). */
  readonly prefix: string;
  /**
   * The state bucket lives in this environment's project, and this
   * environment's foundation stack manages it (versioning, public access
   * prevention, uniform access). Exactly one of the environments sharing a
   * bucket sets it; the others only grant their deployer its state prefix.
   * @default - the bucket is managed by another environment's foundation
   */
  readonly managedBucket?: {
    /** Bucket location, as GCS reports it (`US-EAST4`); changing it would replace the bucket. */
    readonly location: string;
    /**
     * Where GCS writes the state bucket's usage logs (who read or wrote
     * which state object): a bucket of this name that the foundation creates
     * beside it, private and kept for a year.
     * @default - no access logs
     */
    readonly accessLogs?: {
      /** Name of the log bucket, e.g. `mindmirror-69-tofu-state-logs`. */
      readonly bucket: string;
      /**
       * Prefix of the log objects.
       * @default - the state bucket's name
       */
      readonly prefix?: string;
    };
  };
}
