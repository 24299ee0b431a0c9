/**
 * Everything the CI identity (`github-actions-<env>`) may do, in one list.
 *
 * The deployer applies the services and gateway stacks and pushes images; the
 * foundation stack itself is applied by a person, so nothing here lets CI
 * change IAM outside the resources it deploys. A role added here is a role the
 * pipeline gains: the foundation tests compare this list with a literal copy,
 * so every change to it is a visible test change too.
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
