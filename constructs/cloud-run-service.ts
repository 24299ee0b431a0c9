import { CloudRunV2Service, type CloudRunV2ServiceTemplateContainersEnv } from "@cdktf/provider-google/lib/cloud-run-v2-service";
import { SecretManagerSecretIamMember } from "@cdktf/provider-google/lib/secret-manager-secret-iam-member";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { Construct } from "constructs";
import type { EnvValue, ServiceDefinition } from "../catalog/types";
import type { EnvironmentConfig } from "../environments/types";
import {
  cloudRunName,
  resourceName,
  secretId,
  serviceAccountId,
  serviceLabels,
  serviceUrl,
  urlEnvName,
} from "../lib/naming";
import { ALL_USERS, InvokerGrant } from "./invoker-grant";
import { importExisting } from "./import-existing";

/** Cloud Run's defaults, written out so a plan never shows them drifting. */
const DEFAULT_RESOURCES = { cpu: "1", memory: "512Mi" };
/** Probe timings: a slow-starting Python app gets up to 10 s x 24 = 4 min. */
const STARTUP_PROBE = { periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 24 };
const LIVENESS_PROBE = { periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3 };

export interface CloudRunServiceProps {
  readonly environment: EnvironmentConfig;
  readonly definition: ServiceDefinition;
  /** Image reference to run, normally the stack's image variable. */
  readonly image: string;
}

/**
 * One MindMirror deployable: a `google_cloud_run_v2_service`, the service
 * account it alone runs as, read access to exactly the secrets it uses, and
 * public access only where the catalog or the environment asks for it.
 */
export class CloudRunService extends Construct {
  /** Cloud Run service name in this environment. */
  readonly name: string;
  /** Deterministic URL, known before the service exists. */
  readonly url: string;
  readonly account: ServiceAccount;
  readonly service: CloudRunV2Service;
  readonly secretGrants: readonly SecretManagerSecretIamMember[];
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

    this.account = new ServiceAccount(this, "account", {
      project: env.project.id,
      accountId: serviceAccountId(env, def.name),
      displayName: `${this.name} (Cloud Run runtime)`,
      description: `Runs the ${this.name} Cloud Run service; managed by mindmirror-infra.`,
      // Today's accounts already exist under these ids: adopt them instead of failing.
      createIgnoreAlreadyExists: true,
    });
    this.account.overrideLogicalId(resourceName(def.name));
    const member = this.member;

    this.secretGrants = def.secretEnv.map(
      (name) =>
        new SecretManagerSecretIamMember(this, `secret-${name}`, {
          project: env.project.id,
          secretId: secretId(name),
          role: "roles/secretmanager.secretAccessor",
          member,
        }),
    );

    const probePort = { port: def.port };
    this.service = new CloudRunV2Service(this, "service", {
      project: env.project.id,
      location: env.region,
      name: this.name,
      ingress: "INGRESS_TRAFFIC_ALL",
      deletionProtection: env.deletionProtection,
      labels,
      template: {
        serviceAccount: this.account.email,
        labels,
        maxInstanceRequestConcurrency: env.scaling.concurrency,
        scaling: { minInstanceCount: env.scaling.minInstances, maxInstanceCount: env.scaling.maxInstances },
        containers: [
          {
            image: props.image,
            ports: { containerPort: def.port },
            env: containerEnv(env, def),
            resources: { limits: { ...(def.resources ?? DEFAULT_RESOURCES) } },
            startupProbe: def.healthPath
              ? { ...STARTUP_PROBE, httpGet: { path: def.healthPath, ...probePort } }
              : { ...STARTUP_PROBE, tcpSocket: probePort },
            livenessProbe: def.healthPath
              ? { ...LIVENESS_PROBE, httpGet: { path: def.healthPath, ...probePort } }
              : undefined,
          },
        ],
      },
      // A revision whose account cannot read its secrets fails to start.
      dependsOn: [...this.secretGrants],
    });
    this.service.overrideLogicalId(resourceName(def.name));
    if (env.importExisting) {
      importExisting(this.service, `projects/${env.project.id}/locations/${env.region}/services/${this.name}`);
    }

    if (def.public === true || env.invoker.unauthenticatedBackends === true) {
      this.grantInvoke("public", ALL_USERS);
    }
  }

  /** Lets `member` invoke this service. */
  grantInvoke(id: string, member: string): InvokerGrant {
    return new InvokerGrant(this, `invoker-${id}`, {
      environment: this.environment,
      serviceName: this.service.name,
      member,
    });
  }

  /** IAM member of this service's own account. */
  get member(): string {
    return `serviceAccount:${this.account.email}`;
  }
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
