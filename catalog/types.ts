import type { EnvironmentConfig } from "../environments/types";
import type { StackKind } from "../lib/naming";

/** A plain env value: the same everywhere, or derived from the environment. */
export type EnvValue = string | ((env: EnvironmentConfig) => string);

/** One deployable: a Cloud Run service and everything it needs. */
export interface ServiceDefinition {
  /** Base name; Cloud Run name, account id and URL derive from it (`journal-service`). */
  readonly name: string;
  /** Image name in the registry (`journal_service`). */
  readonly image: string;
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
   * HTTP path that answers 200 when the service is healthy.
   * @default - a TCP startup probe on the port, and no liveness probe
   */
  readonly healthPath?: string;
}
