/**
 * Every cloud name MindMirror uses, built in one place from (environment, service).
 * Pure functions: no I/O, no cdktf. A name that breaks a cloud limit throws a
 * ConfigError here, at synth, instead of failing at apply.
 */
import type { EnvironmentConfig } from "../environments/types";
import { check } from "./errors";
import { BUILT_BUCKET_NAME, CLOUD_RUN_NAME, SECRET_ID, SERVICE_ACCOUNT_ID } from "./patterns";

/** A DNS label is at most 63 characters; Cloud Run's URL host starts with `{name}-{number}`. */
const DNS_LABEL_MAX = 63;

/** The kinds of stack each environment has. */
export type StackKind = "foundation" | "services" | "gateway";

/** Cloud Run service name: `journal-service-staging` in staging, `journal-service` in production. */
export function cloudRunName(env: EnvironmentConfig, service: string): string {
  const name = `${service}${env.naming.serviceSuffix}`;
  check(
    CLOUD_RUN_NAME.test(name),
    `Cloud Run service name of "${service}" in ${env.name}`,
    name,
    "use at most 49 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen (shorten the service name or the environment's naming.serviceSuffix)",
  );
  return name;
}

/** Service-account id of a service: `journal-service-staging`. */
export function serviceAccountId(env: EnvironmentConfig, service: string): string {
  const id = `${service}${env.naming.accountSuffix}`;
  check(
    SERVICE_ACCOUNT_ID.test(id),
    `service account id of "${service}" in ${env.name}`,
    id,
    "GCP allows 6-30 lowercase letters, digits or hyphens, starting with a letter (shorten the service name or the environment's naming.accountSuffix)",
  );
  return id;
}

/** Email of a service account in the environment's project. */
export function serviceAccountEmail(env: EnvironmentConfig, accountId: string): string {
  return `${accountId}@${env.project.id}.iam.gserviceaccount.com`;
}

/** IAM member string of a service's own account. */
export function serviceAccountMember(env: EnvironmentConfig, service: string): string {
  return `serviceAccount:${runtimeAccountEmail(env, service)}`;
}

/** Email of a service's runtime account: `journal-service-staging@mindmirror-69.iam.gserviceaccount.com`. */
export function runtimeAccountEmail(env: EnvironmentConfig, service: string): string {
  return serviceAccountEmail(env, serviceAccountId(env, service));
}

/**
 * Name of a catalog bucket in an environment: `{bucket}-{project id}-{env}`,
 * as today's buckets are named (`traditions-mindmirror-69-staging`).
 */
export function bucketName(env: EnvironmentConfig, bucket: string): string {
  const name = `${bucket}-${env.project.id}-${env.name}`;
  check(
    BUILT_BUCKET_NAME.test(name) && !name.startsWith("goog") && !name.includes("google"),
    `bucket name of "${bucket}" in ${env.name}`,
    name,
    "GCS allows 3-63 lowercase letters, digits, '-' or '_', starting and ending with a letter or digit, never starting with \"goog\" or containing \"google\" (shorten or rename the catalog bucket)",
  );
  return name;
}

/** Secret Manager id of a secret env var; the ids are exactly the env names. */
export function secretId(envName: string): string {
  check(SECRET_ID.test(envName), "secret id", envName, "use 1-255 letters, digits, underscores or hyphens");
  return envName;
}

/** The secret holding the JSON map of service URLs: `service-urls-staging`. */
export function serviceUrlsSecretId(env: EnvironmentConfig): string {
  return secretId(`service-urls-${env.name}`);
}

/** Stack name, also the folder under `cdktf.out/stacks/`: `services-staging`. */
export function stackName(env: EnvironmentConfig, kind: StackKind): string {
  return `${kind}-${env.name}`;
}

/** State prefix of one stack: `envs/staging/services`. */
export function statePrefix(env: EnvironmentConfig, kind: StackKind): string {
  return `${env.backend.prefix}/${kind}`;
}

/** File completing a partial backend: `production.backend.hcl`. */
export function backendConfigFile(env: EnvironmentConfig): string {
  return `${env.name}.backend.hcl`;
}

/** The folder of this project holding the environments and their tfvars files. */
export const ENVIRONMENTS_FOLDER = "environments";
/** How every environment's tfvars file ends; OpenTofu loads `*.auto.tfvars` by itself. */
export const TFVARS_SUFFIX = ".auto.tfvars";

/** The tfvars file the pipeline rewrites, and its copy in each stack folder: `staging.auto.tfvars`. */
export function tfvarsFile(env: EnvironmentConfig): string {
  return `${env.name}${TFVARS_SUFFIX}`;
}

/** The tfvars file inside this project, as messages and the workflows name it: `environments/staging.auto.tfvars`. */
export function tfvarsPath(env: EnvironmentConfig): string {
  return `${ENVIRONMENTS_FOLDER}/${tfvarsFile(env)}`;
}

/**
 * Cloud Run's deterministic URL, `https://{name}-{project-number}.{region}.run.app`.
 * Known before the service exists, so services that call each other need no
 * reference to each other's resources (and no dependency cycle).
 */
export function serviceUrl(env: EnvironmentConfig, service: string): string {
  const label = `${cloudRunName(env, service)}-${env.project.number}`;
  check(
    label.length <= DNS_LABEL_MAX,
    `URL host label of "${service}" in ${env.name}`,
    label,
    `"{name}-{project number}" must fit a ${DNS_LABEL_MAX}-character DNS label; shorten the service name`,
  );
  return `https://${label}.${env.region}.run.app`;
}

/** snake_case form of a service name: `agent-service` -> `agent_service`. */
function snake(service: string): string {
  return service.replace(/-/g, "_");
}

/** Output (and service-URLs JSON key) of a service's URL: `agent_service_url`. */
export function urlOutputName(service: string): string {
  return `${snake(service)}_url`;
}

/** Env var through which a caller learns a service's URL: `AGENT_SERVICE_URL`. */
export function urlEnvName(service: string): string {
  return urlOutputName(service).toUpperCase();
}

/** Terraform variable holding a service's image reference: `agent_service_image`. */
export function imageVariableName(service: string): string {
  return `${snake(service)}_image`;
}

/** Terraform-address-safe name of a service's resources: `agent_service`. */
export function resourceName(service: string): string {
  return snake(service);
}

/** Host of the environment's Docker registry: `us-east4-docker.pkg.dev`. */
export function registryHost(env: EnvironmentConfig): string {
  return `${env.registry.location}-docker.pkg.dev`;
}

/** Image path without tag: `us-east4-docker.pkg.dev/mindmirror-69/mindmirror/agent_service`. */
export function imageRepositoryPath(env: EnvironmentConfig, image: string): string {
  return `${registryUrl(env)}/${image}`;
}

/** Labels of every labelled resource of an environment: its own labels and `environment=<name>`. */
export function environmentLabels(env: EnvironmentConfig): Record<string, string> {
  return { ...env.labels, environment: env.name };
}

/** Labels of a resource belonging to a service. */
export function serviceLabels(env: EnvironmentConfig, service: string): Record<string, string> {
  return { ...environmentLabels(env), service };
}

/** Email of the service account GitHub Actions deploys as: `github-actions-staging@mindmirror-69.iam.gserviceaccount.com`. */
export function deployerEmail(env: EnvironmentConfig): string {
  return serviceAccountEmail(env, env.ci.deployerAccountId);
}

/** Email of the read-only account of plans for pull requests and the drift detection: `github-planner-staging@mindmirror-69.iam.gserviceaccount.com`. */
export function plannerEmail(env: EnvironmentConfig): string {
  return serviceAccountEmail(env, env.ci.plannerAccountId);
}

/** Full resource name of the Workload Identity provider GitHub Actions authenticates through. */
export function workloadIdentityProviderName(env: EnvironmentConfig): string {
  return `projects/${env.project.number}/locations/global/workloadIdentityPools/${env.ci.workloadIdentityPool}/providers/${env.ci.workloadIdentityProvider}`;
}

/** Registry URL images are pushed to: `us-east4-docker.pkg.dev/mindmirror-69/mindmirror`. */
export function registryUrl(env: EnvironmentConfig): string {
  return `${registryHost(env)}/${env.project.id}/${env.registry.repository}`;
}

/** The record of the last images that passed their health check, beside the tfvars file: `staging.healthy.json`. */
export function healthyImagesFile(env: EnvironmentConfig): string {
  return `${env.name}.healthy.json`;
}

/** A readable Terraform name from parts: `("deployer", "iam.serviceAccountUser", "agent-service")` -> `deployer_iam_service_account_user_agent_service`. */
export function terraformName(...parts: string[]): string {
  return parts
    .map((part) => part.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/[^A-Za-z0-9]+/g, "_").toLowerCase())
    .join("_");
}
