import type { EnvironmentConfig } from "../environments/types";
import type { StackKind } from "../lib/naming";

/** A plain env value: the same everywhere, or derived from the environment. */
export type EnvValue = string | ((env: EnvironmentConfig) => string);

/** A bucket the catalog's services share, named `{name}-{project id}-{env}` in each environment. */
export interface BucketDefinition {
  /** Base name (`traditions`). */
  readonly name: string;
  /**
   * It exists in the live projects, created before this project managed it:
   * adopted with an import block where the environment sets `importExisting`.
   * @default false - created
   */
  readonly adopt?: boolean;
}

/** Where one image's Dockerfile and build context are, and which paths its image is made of; paths relative to the repository root. */
export interface ImageBuild {
  /** Dockerfile path, e.g. `journal_service/Dockerfile`. */
  readonly dockerfile: string;
  /** Build context directory, e.g. `.` (the repository root) or `mesh`. */
  readonly context: string;
  /**
   * Every path the image is built from: the Dockerfile's folder and the
   * shared sources it copies (a folder ends in `/`). The image is rebuilt only
   * when one of them changed since the commit of the image the tfvars name.
   */
  readonly inputs: readonly string[];
}

/** How a service uses one catalog bucket. */
export interface BucketAccess {
  /** Base name of a bucket of the catalog (`traditions`). */
  readonly bucket: string;
  /** Storage roles its account gets on that bucket (`roles/storage.objectViewer`). */
  readonly roles: readonly string[];
}

/** What of a service existed before this project managed it, and is adopted with import blocks. */
export interface Adoption {
  /** The Cloud Run service exists. */
  readonly service: boolean;
  /** The runtime service account exists. */
  readonly account: boolean;
}

/** One deployable: a Cloud Run service and everything it needs. */
export interface ServiceDefinition {
  /** Base name; Cloud Run name, account id and URL derive from it (`journal-service`). */
  readonly name: string;
  /** Image name in the registry (`journal_service`). */
  readonly image: string;
  /** How its image is built, and from which paths of the repository. */
  readonly build: ImageBuild;
  /** Port the container listens on. */
  readonly port: number;
  /** The stack that deploys it. */
  readonly stack: StackKind;
  /**
   * Invokable by anyone on the internet.
   * @default false - only its callers (and, where an environment allows it, everyone)
   */
  readonly public?: boolean;
  /** Plain env vars. Never a secret: those go in `secretEnv`. */
  readonly env: Readonly<Record<string, EnvValue>>;
  /** Env vars read from Secret Manager; the secret id is the env name. */
  readonly secretEnv: readonly string[];
  /**
   * Env names (plain or secret) kept only because the running app reads them
   * today, with the reason each is on its way out.
   * @default - none
   */
  readonly deprecatedEnv?: Readonly<Record<string, string>>;
  /**
   * Catalog buckets its account may use, and how.
   * @default - none
   */
  readonly buckets?: readonly BucketAccess[];
  /** Services it calls; it gets each one's URL as `<NAME>_URL` and may invoke it. */
  readonly calls: readonly string[];
  /**
   * Services it calls through URLs baked into its image at build time: it may
   * invoke them, but gets no env var.
   * @default - none
   */
  readonly bakedCalls?: readonly string[];
  /**
   * CPU and memory of one instance.
   * @default - 1 CPU, 512Mi
   */
  readonly resources?: { readonly cpu: string; readonly memory: string };
  /**
   * CPU allocation. `idle: true` allocates CPU only while a request is
   * served (request-based billing), as every service runs today.
   * @default - { idle: true, startupBoost: false }
   */
  readonly cpu?: { readonly idle?: boolean; readonly startupBoost?: boolean };
  /**
   * Instance bounds where this service differs from its environment.
   * @default - the environment's scaling.minInstances and scaling.maxInstances
   */
  readonly scaling?: { readonly minInstances?: number; readonly maxInstances?: number };
  /**
   * HTTP path that answers 200 when the service is healthy.
   * @default - a TCP startup probe on the port, and no liveness probe
   */
  readonly healthPath?: string;
  /**
   * Probe `healthPath` over HTTP at startup and for liveness. Off, the health
   * path is only what the pipeline checks after a deploy.
   * @default true
   */
  readonly healthProbes?: boolean;
  /**
   * What exists in the live projects already: adopted (with import blocks)
   * where the environment sets `importExisting`, instead of created.
   * @default - nothing: a new service and its account are created
   */
  readonly adopt?: Adoption;
}
