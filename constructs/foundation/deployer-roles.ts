/**
 * Everything the CI identities may do, one list each: the deployer
 * (`github-actions-<env>`) and, where the environment has an approval gate,
 * the builder (`github-builder-<env>`) its unattended jobs use.
 *
 * The deployer applies the services and gateway stacks and pushes images; the
 * foundation stack itself is applied by a person, so nothing here lets CI
 * change IAM outside the resources it deploys. The builder pushes images and
 * reads what a plan refreshes, and changes nothing that runs. A role added
 * here is a role the pipeline gains: the foundation tests compare both lists
 * with literal copies, so every change to them is a visible test change too.
 */

/** Where a deployer role is granted. Each scope is bound by the Deployer construct. */
export type DeployerScope =
  /** The environment's project. Only for what no narrower resource can carry. */
  | "project"
  /** Each runtime service account of the catalog (`journal-service-staging`), one binding per account. */
  | "runtime-service-account"
  /** The environment's Artifact Registry repository. */
  | "registry"
  /** Each Secret Manager secret a catalog service reads (`DATABASE_URL`, ...), one binding per secret. */
  | "service-secret"
  /** The `service-urls-<env>` secret. */
  | "service-urls-secret"
  /** The state bucket, restricted by an IAM condition to the state prefixes of the stacks CI applies. */
  | "state-prefix";

/** One grant to the deployer. */
export interface DeployerRole {
  /**
   * A predefined role (`roles/run.developer`), or the id of a custom role the
   * foundation defines in the environment's project (`mindmirrorDeployerRunIam`).
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
 * The deployer's roles. Never owner, editor or an admin role; project-level
 * only where GCP checks the permission on the project (creating a resource
 * that does not exist yet).
 */
export const DEPLOYER_ROLES: readonly DeployerRole[] = [
  {
    role: "roles/run.developer",
    scope: "project",
    why:
      "create, update and delete the Cloud Run services of the services and gateway stacks; a new service " +
      "does not exist yet, so the grant cannot sit on the service. Reads IAM policies but cannot set them.",
  },
  {
    role: "mindmirrorDeployerRunIam",
    permissions: ["run.services.getIamPolicy", "run.services.setIamPolicy"],
    scope: "project",
    why:
      "google_cloud_run_v2_service_iam_member (invoker grants from the call graph) sets a service's IAM policy, " +
      "which run.developer cannot; roles/run.admin would add every other Cloud Run admin permission.",
  },
  {
    role: "mindmirrorDeployerAccounts",
    permissions: [
      "iam.serviceAccounts.create",
      "iam.serviceAccounts.get",
      "iam.serviceAccounts.list",
      "iam.serviceAccounts.update",
    ],
    scope: "project",
    why:
      "google_service_account of each runtime account: create one for a new service (checked on the project), " +
      "read and update name and description. No delete, no keys, no IAM on accounts: " +
      "roles/iam.serviceAccountAdmin would allow all three.",
  },
  {
    role: "roles/iam.serviceAccountUser",
    scope: "runtime-service-account",
    why:
      "deploying a Cloud Run service that runs as an account needs iam.serviceAccounts.actAs on that account; " +
      "granted on each runtime account, so the deployer cannot act as any other account (its own included).",
  },
  {
    role: "roles/artifactregistry.writer",
    scope: "registry",
    why: "phases 1 and 3 push the service and gateway images; on the one repository, no delete (tags are immutable anyway).",
  },
  {
    role: "mindmirrorDeployerSecretIam",
    permissions: ["secretmanager.secrets.getIamPolicy", "secretmanager.secrets.setIamPolicy"],
    scope: "service-secret",
    why:
      "google_secret_manager_secret_iam_member gives each runtime account read access to the secrets it uses; " +
      "only roles/secretmanager.admin has setIamPolicy among predefined roles, and it could read every value. " +
      "Granted on each secret the catalog names, never project-wide.",
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
      "on the project because the services stack creates the services (a new one needs no foundation change) " +
      "and its import blocks read services that are not in state yet.",
  },
  {
    role: "roles/iam.serviceAccountViewer",
    scope: "project",
    why:
      "plans refresh the runtime service accounts (iam.serviceAccounts.get), which the services stack creates, " +
      "so on the project. Read-only: no actAs, no tokens, no keys (only their metadata), no IAM changes.",
  },
  {
    role: "roles/secretmanager.viewer",
    scope: "project",
    why:
      "plans refresh the secrets' IAM grants and service-urls-<env> (secrets.get, getIamPolicy, versions.get). " +
      "Metadata only: it cannot read a secret value (no versions.access).",
  },
  {
    role: "roles/storage.objectViewer",
    scope: "state-prefix",
    why:
      "tofu init and tofu plan -lock=false read the services and gateway state and list workspaces; the deployer's " +
      "prefix condition keeps it to those prefixes. No write: the apply job takes the lock and rejects a stale plan.",
  },
];
