/**
 * Everything the CI identities may do, one list each: the deployer
 * (`github-actions-<env>`), where the environment has an approval gate the
 * builder (`github-builder-<env>`) its unattended jobs use, and the planner
 * (`github-planner-<env>`) of pull requests and the drift detection.
 *
 * The deployer applies the services and gateway stacks and pushes images; the
 * foundation stack itself is applied by a person and holds every grant that
 * derives from the catalog alone (runtime accounts, their secrets, buckets),
 * so nothing here lets CI change IAM outside the Cloud Run services it deploys. The builder pushes images and
 * reads what a plan refreshes, and changes nothing that runs. A role added
 * here is a role the pipeline gains: the foundation tests compare both lists
 * with literal copies, so every change to them is a visible test change too.
 */
import { CLOUD_RUN_NAME } from "../../lib/patterns";

/** Where a deployer role is granted. Each scope is bound by the CiAccount construct. */
export type DeployerScope =
  /** The environment's project. Only for what no narrower resource can carry. */
  | "project"
  /**
   * The environment's project, limited by an IAM condition to the Cloud Run
   * services of the catalog: a service that does not exist yet cannot carry a
   * grant, and the condition keeps every other service out of reach.
   */
  | "catalog-services"
  /** Each runtime service account of the catalog (`journal-service-staging`), one binding per account. */
  | "runtime-service-account"
  /** The environment's Artifact Registry repository. */
  | "registry"
  /** The `service-urls-<env>` secret. */
  | "service-urls-secret"
  /** The state bucket, restricted by an IAM condition to the state prefixes of the stacks CI applies (the planner: plans). */
  | "state-prefix"
  /** The state bucket itself, without condition: what is bucket-level (its IAM policy) has no object name to restrict. */
  | "state-bucket";

/** One grant to the deployer. */
export interface DeployerRole {
  /**
   * A predefined role (`roles/artifactregistry.writer`), or the id of a custom
   * role the foundation defines in the environment's project (`mindmirrorDeployerRunServices`).
   */
  readonly role: string;
  /**
   * The permissions of a custom role, exactly.
   * @default - a predefined role: no permissions listed
   */
  readonly permissions?: readonly string[];
  /** Where it is granted. */
  readonly scope: DeployerScope;
  /** What in the pipeline needs it, and why nothing narrower does. */
  readonly why: string;
}

/**
 * CEL condition admitting the named Cloud Run services and anything that is
 * not a Cloud Run service (the operations tofu waits on, the project a new
 * service is created in). The role it guards holds service permissions only,
 * so what it admits besides services is nothing of use.
 */
export function cloudRunServicesCondition(names: readonly string[]): string {
  if (names.length === 0) throw new Error("cloudRunServicesCondition: name at least one service");
  for (const name of names) {
    if (!CLOUD_RUN_NAME.test(name)) throw new Error(`cloudRunServicesCondition: ${JSON.stringify(name)} is not a Cloud Run service name`);
  }
  const services = [...names].sort().map((name) => `resource.name.endsWith(${JSON.stringify(`/services/${name}`)})`);
  return [`resource.type != "run.googleapis.com/Service"`, ...services].join(" || ");
}

/**
 * The deployer's roles. Never owner, editor or an admin role, and no
 * permission to change IAM outside the catalog's own Cloud Run services:
 * runtime accounts, their secret grants and bucket grants are the
 * foundation's, applied by a person.
 */
export const DEPLOYER_ROLES: readonly DeployerRole[] = [
  {
    role: "mindmirrorDeployerRunServices",
    permissions: [
      "run.operations.get",
      "run.services.create",
      "run.services.delete",
      "run.services.get",
      "run.services.getIamPolicy",
      "run.services.setIamPolicy",
      "run.services.update",
    ],
    scope: "catalog-services",
    why:
      "create, update and delete the catalog's Cloud Run services and set their invoker IAM " +
      "(google_cloud_run_v2_service_iam_member from the call graph); tofu waits on the operations. " +
      "No jobs, executions or revisions (roles/run.developer has them all), and the condition keeps " +
      "every service outside the catalog out of reach, so setIamPolicy reaches only services the deployer already controls.",
  },
  {
    role: "roles/iam.serviceAccountUser",
    scope: "runtime-service-account",
    why:
      "deploying a Cloud Run service that runs as an account needs iam.serviceAccounts.actAs on that account; " +
      "granted on each runtime account, so the deployer cannot act as any other account (its own included). " +
      "The runtime accounts hold no IAM rights at all (secret, bucket and invoker grants only).",
  },
  {
    role: "roles/artifactregistry.writer",
    scope: "registry",
    why: "phases 1 and 3 push the service and gateway images; on the one repository, no delete (tags are immutable anyway).",
  },
  {
    role: "mindmirrorDeployerUrlsSecret",
    permissions: [
      "secretmanager.secrets.get",
      "secretmanager.secrets.update",
      "secretmanager.versions.access",
      "secretmanager.versions.add",
      "secretmanager.versions.destroy",
      "secretmanager.versions.get",
    ],
    scope: "service-urls-secret",
    why:
      "the services stack manages service-urls-<env>: adds a version when URLs change and destroys the old one, " +
      "refreshes secret and version (reading the payload), updates labels; phase 3 reads it to build the gateway. " +
      "The URLs are not secret. No IAM and no delete of the secret.",
  },
  {
    role: "roles/storage.objectUser",
    scope: "state-prefix",
    why:
      "tofu reads and writes state and lock objects (create, read, delete the lock, list workspaces at init); " +
      "an IAM condition keeps it to the services and gateway prefixes of its own environment, so it can " +
      "touch neither the foundation state nor another environment's.",
  },
];

/** Where a builder role is granted. Each scope is bound by the Builder construct. */
export type BuilderScope = Extract<DeployerScope, "project" | "registry" | "service-urls-secret" | "state-prefix">;

/** One grant to the builder: predefined roles only, since each one it needs is read-only or exactly one push. */
export interface BuilderRole {
  /** A predefined role (`roles/run.viewer`). */
  readonly role: string;
  /** Where it is granted. */
  readonly scope: BuilderScope;
  /** What in the unattended jobs needs it, and why it cannot change what runs. */
  readonly why: string;
}

/**
 * The builder's roles: what image builds (phases 1 and 3) and
 * `tofu plan -lock=false` of the services and gateway stacks (phases 2 and 4)
 * need. Pushing an image is its only write: a pushed image runs only once an
 * approved apply points a service at it. No role reads a secret value except
 * the service URLs, which are not secret.
 */
export const BUILDER_ROLES: readonly BuilderRole[] = [
  {
    role: "roles/artifactregistry.writer",
    scope: "registry",
    why:
      "phases 1 and 3 push the service and gateway images; on the one repository. Tags are immutable, so a push " +
      "cannot replace an image a tfvars file names, and nothing runs it until an approved apply does.",
  },
  {
    role: "roles/secretmanager.secretAccessor",
    scope: "service-urls-secret",
    why:
      "phase 3 builds the gateway from service-urls-<env>, and a plan of the services stack refreshes its secret " +
      "version, which reads the payload. On that one secret, whose URLs are not secret; no other value.",
  },
  {
    role: "roles/run.viewer",
    scope: "project",
    why:
      "plans refresh the Cloud Run services and their invoker IAM (run.services.get, getIamPolicy). Read-only; " +
      "on the project because a new service exists only after the services stack's first apply, " +
      "and its import blocks read services that are not in state yet.",
  },
  {
    role: "roles/secretmanager.viewer",
    scope: "service-urls-secret",
    why:
      "plans refresh service-urls-<env> and its version (secrets.get, versions.get), the one secret the stacks it plans " +
      "manage. Metadata only, on that secret; the value it reads through secretAccessor above.",
  },
  {
    role: "roles/storage.objectViewer",
    scope: "state-prefix",
    why:
      "tofu init and tofu plan -lock=false read the services and gateway state and list workspaces; the deployer's " +
      "prefix condition keeps it to those prefixes. No write: the apply job takes the lock and rejects a stale plan.",
  },
];

/** Where a planner role is granted. */
export type PlannerScope = Extract<DeployerScope, "project" | "service-urls-secret" | "state-prefix" | "state-bucket">;

/** One grant to the planner. */
export interface PlannerRole {
  /** A predefined role, or the id of a custom role the foundation defines. */
  readonly role: string;
  /**
   * The permissions of a custom role, exactly.
   * @default - a predefined role: no permissions listed
   */
  readonly permissions?: readonly string[];
  readonly scope: PlannerScope;
  /** What a plan needs it for, and why it changes nothing. */
  readonly why: string;
}

/**
 * The planner's roles: what `tofu plan -lock=false` of every stack of the
 * environment (foundation included) refreshes, and nothing else. Pull
 * requests run it on code nobody has approved yet, so every permission is a
 * read: no create, update, delete, setIamPolicy, actAs or key, and no secret
 * value but the service URLs, which are not secret.
 */
export const PLANNER_ROLES: readonly PlannerRole[] = [
  {
    role: "mindmirrorPlannerReads",
    permissions: [
      "artifactregistry.repositories.get",
      "artifactregistry.repositories.getIamPolicy",
      "iam.roles.get",
      "iam.serviceAccounts.get",
      "iam.serviceAccounts.getIamPolicy",
      "iam.workloadIdentityPoolProviders.get",
      "iam.workloadIdentityPools.get",
      "resourcemanager.projects.get",
      "resourcemanager.projects.getIamPolicy",
      "run.services.get",
      "run.services.getIamPolicy",
      "secretmanager.secrets.get",
      "secretmanager.secrets.getIamPolicy",
      "secretmanager.versions.get",
      "storage.buckets.get",
      "storage.buckets.getIamPolicy",
    ],
    scope: "project",
    why:
      "refreshes what the three stacks manage and their IAM: the registry, the Workload Identity pool and provider, " +
      "the CI and runtime accounts, the custom roles, project grants, Cloud Run services, secrets' metadata and the " +
      "catalog's buckets. Gets and getIamPolicy only; no secret payload, no object.",
  },
  {
    role: "roles/secretmanager.secretAccessor",
    scope: "service-urls-secret",
    why:
      "refreshing google_secret_manager_secret_version of service-urls-<env> reads its payload. On that one secret, " +
      "whose URLs are not secret; no other value.",
  },
  {
    role: "roles/storage.objectViewer",
    scope: "state-prefix",
    why:
      "tofu init and tofu plan -lock=false read the state of the environment's three stacks and list workspaces; " +
      "the prefix condition keeps it to them. No write, so no lock: a plan that runs during an apply may be stale, and is only shown.",
  },
  {
    role: "roles/iam.securityReviewer",
    scope: "state-bucket",
    why:
      "the foundation grants its CI accounts on the state bucket, which may live in another environment's project, " +
      "where this project's custom role cannot be granted; refreshing those grants reads the bucket's IAM policy. " +
      "On that bucket only: list and getIamPolicy, no write.",
  },
];
