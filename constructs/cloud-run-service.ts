import {
  CloudRunV2Service,
  type CloudRunV2ServiceTemplateContainersEnv,
  type CloudRunV2ServiceTemplateContainersLivenessProbe,
  type CloudRunV2ServiceTemplateContainersResources,
  type CloudRunV2ServiceTemplateContainersStartupProbe,
  type CloudRunV2ServiceTemplateContainersStartupProbeTcpSocket,
} from "@cdktf/provider-google/lib/cloud-run-v2-service";
import type { Construct } from "constructs";
import type { EnvValue, ServiceDefinition } from "../catalog/types";
import type { EnvironmentConfig } from "../environments/types";
import { check } from "../lib/errors";
import { cloudRunName, resourceName, runtimeAccountEmail, secretId, serviceLabels, serviceUrl, urlEnvName } from "../lib/naming";
import { ALL_USERS, type Grantee } from "../lib/grantee";
import { InvokableService } from "./invoker-grant";
import { importExisting } from "./import-existing";

/**
 * The limits of an instance. Writing `resources` is not neutral in the v2
 * API: its `cpu_idle` then defaults to false (CPU always allocated), so the
 * construct always writes `cpu_idle` too.
 */
export const DEFAULT_RESOURCES = { cpu: "1", memory: "512Mi" } as const satisfies CloudRunV2ServiceTemplateContainersResources["limits"];
/** Probe timings: a slow-starting Python app gets up to 10 s x 24 = 4 min. */
export const STARTUP_PROBE = {
  periodSeconds: 10,
  timeoutSeconds: 5,
  failureThreshold: 24,
} as const satisfies CloudRunV2ServiceTemplateContainersStartupProbe;
/** A hung instance is replaced after 3 missed checks, 30 s apart. */
export const LIVENESS_PROBE = {
  periodSeconds: 30,
  timeoutSeconds: 5,
  failureThreshold: 3,
} as const satisfies CloudRunV2ServiceTemplateContainersLivenessProbe;

export interface CloudRunServiceProps {
  readonly environment: EnvironmentConfig;
  readonly definition: ServiceDefinition;
  /** Image reference to run, normally the stack's image variable. */
  readonly image: string;
}

/**
 * One MindMirror deployable: a `google_cloud_run_v2_service` running as the
 * service account it alone uses, and public access only where the catalog or
 * the environment asks for it. The account, its secret grants and its bucket
 * grants belong to the foundation stack, applied before this one: a service
 * names its account by email and never grants anything on it.
 */
export class CloudRunService extends InvokableService implements Grantee {
  /**
   * A service of another stack of `env`, by base name (`agent-service`), to
   * grant on. Its Cloud Run name is deterministic, so no cross-stack
   * reference (and no remote state) is needed.
   */
  static fromName(scope: Construct, id: string, env: EnvironmentConfig, name: string): ServiceReference {
    return new ServiceReference(scope, id, env, name);
  }

  /** Cloud Run service name in this environment. */
  readonly name: string;
  /** Deterministic URL, known before the service exists. */
  readonly url: string;
  /** Email of the runtime account it runs as (created by the foundation stack). */
  readonly accountEmail: string;
  readonly service: CloudRunV2Service;
  readonly environment: EnvironmentConfig;
  readonly definition: ServiceDefinition;

  constructor(scope: Construct, id: string, props: CloudRunServiceProps) {
    super(scope, id);
    const { environment: env, definition: def } = props;
    this.environment = env;
    this.definition = def;
    this.name = cloudRunName(env, def.name);
    this.url = serviceUrl(env, def.name);
    const labels = serviceLabels(env, def.name);

    this.accountEmail = runtimeAccountEmail(env, def.name);
    const scaling = serviceScaling(env, def);
    const probePath = def.healthPath !== undefined && def.healthProbes !== false ? def.healthPath : undefined;

    const probePort = { port: def.port } satisfies CloudRunV2ServiceTemplateContainersStartupProbeTcpSocket;
    this.service = new CloudRunV2Service(this, "service", {
      project: env.project.id,
      location: env.region,
      name: this.name,
      ingress: "INGRESS_TRAFFIC_ALL",
      deletionProtection: env.deletionProtection,
      labels,
      template: {
        serviceAccount: this.accountEmail,
        labels,
        maxInstanceRequestConcurrency: env.scaling.concurrency,
        scaling: { minInstanceCount: scaling.min, maxInstanceCount: scaling.max },
        containers: [
          {
            image: props.image,
            ports: { containerPort: def.port },
            env: containerEnv(env, def),
            resources: {
              limits: { ...(def.resources ?? DEFAULT_RESOURCES) },
              // CPU only while serving a request, as today; always-on CPU with min instances 1 is a standing cost.
              cpuIdle: def.cpu?.idle ?? true,
              startupCpuBoost: def.cpu?.startupBoost ?? false,
            },
            startupProbe: probePath
              ? { ...STARTUP_PROBE, httpGet: { path: probePath, ...probePort } }
              : { ...STARTUP_PROBE, tcpSocket: probePort },
            livenessProbe: probePath ? { ...LIVENESS_PROBE, httpGet: { path: probePath, ...probePort } } : undefined,
          },
        ],
      },
    });
    this.service.overrideLogicalId(resourceName(def.name));
    if (env.importExisting && def.adopt?.service === true) {
      importExisting(this.service, `projects/${env.project.id}/locations/${env.region}/services/${this.name}`);
    }

    if (def.public === true || env.invoker.unauthenticatedBackends === true) {
      this.grantInvoke(ALL_USERS);
    }
  }

  /** IAM member of this service's own account. */
  get member(): string {
    return `serviceAccount:${this.accountEmail}`;
  }

  /** Its base name, in the addresses of grants to and from it. */
  get grantName(): string {
    return this.definition.name;
  }

  get baseName(): string {
    return this.definition.name;
  }

  get serviceName(): string {
    return this.service.name;
  }
}

/** A Cloud Run service deployed by another stack, from {@link CloudRunService.fromName}. */
export class ServiceReference extends InvokableService {
  readonly environment: EnvironmentConfig;
  readonly baseName: string;
  readonly serviceName: string;

  constructor(scope: Construct, id: string, env: EnvironmentConfig, name: string) {
    super(scope, id);
    this.environment = env;
    this.baseName = name;
    this.serviceName = cloudRunName(env, name);
  }

  // Before grants took objects, a grant on another stack's service sat at the stack's top level.
  protected override legacyGrantPath(grantee: Grantee): readonly string[] {
    return [`invoker-${this.baseName}-from-${grantee.grantName}`, "binding"];
  }
}

/** The service's instance bounds: its catalog entry where it has one, else the environment's. */
export function serviceScaling(env: EnvironmentConfig, def: ServiceDefinition): { min: number; max: number } {
  const min = def.scaling?.minInstances ?? env.scaling.minInstances;
  const max = def.scaling?.maxInstances ?? env.scaling.maxInstances;
  check(
    min <= max,
    `catalog "${def.name}".scaling in ${env.name}`,
    { minInstances: min, maxInstances: max },
    "minInstances exceeds maxInstances; lower the minimum or raise the maximum in the catalog entry or the environment's scaling",
  );
  return { min, max };
}

/** Plain values, then called services' URLs, then secret references. */
function containerEnv(env: EnvironmentConfig, def: ServiceDefinition): CloudRunV2ServiceTemplateContainersEnv[] {
  const plain = Object.entries(def.env).map(([name, value]) => ({ name, value: resolveValue(value, env) }));
  const urls = def.calls.map((callee) => ({ name: urlEnvName(callee), value: serviceUrl(env, callee) }));
  const secrets = def.secretEnv.map((name) => ({
    name,
    valueSource: { secretKeyRef: { secret: secretId(name), version: "latest" } },
  }));
  return [...plain, ...urls, ...secrets];
}

function resolveValue(value: EnvValue, env: EnvironmentConfig): string {
  return typeof value === "function" ? value(env) : value;
}
