/**
 * The cut-over from today's `infra/` (one HCL root module, state under
 * `envs/<env>`) and its workflows to this project: what the one cut-over PR
 * deletes, which old state addresses the new stacks adopt (so they leave the
 * old state first), what is destroyed instead of adopted, and the leftovers a
 * person removes. The README's "Cut-over" runbook lists each of these; a test
 * checks that it does.
 */

/** Today's files in the repository's `.github/workflows/`, all deleted (or replaced by a generated file) in the cut-over PR. */
export const OLD_WORKFLOWS = [
  ".DISABLED-WORKFLOWS-README.md",
  "ci-build-deploy.yml.disabled",
  "gateway-deploy-production.yml",
  "gateway-deploy.yml",
  "local.yaml",
  "production-deploy.yml",
  "staging-deploy.yml",
  "test-wif-auth.yml",
  "tofu-apply-gateway-production.yml",
  "tofu-apply-gateway-staging.yml",
  "tofu-apply-production.yml",
  "tofu-apply-staging.yml",
  "tofu-plan.yml",
] as const;

/**
 * Addresses of the old root module that the new stacks adopt (import
 * blocks, `create_ignore_already_exists`, additive IAM members): removed from
 * the old state, in each environment, before the first apply of the new
 * stacks, so two states never manage one resource.
 */
export const OLD_STATE_ADOPTED = [
  "module.agent_service.google_cloud_run_service.agent_service",
  "module.journal_service.google_cloud_run_service.journal_service",
  "module.habits_service.google_cloud_run_service.habits_service",
  "module.meals_service.google_cloud_run_service.meals",
  "module.movements_service.google_cloud_run_service.movements",
  "module.practices_service.google_cloud_run_v2_service.practices",
  "module.users_service.google_cloud_run_service.users",
  "module.gateway.google_cloud_run_service.gateway",
  "module.agent_service.google_cloud_run_service_iam_member.public_access",
  "module.journal_service.google_cloud_run_service_iam_member.public_access",
  "module.habits_service.google_cloud_run_service_iam_member.public_access",
  "module.meals_service.google_cloud_run_service_iam_member.public_access",
  "module.movements_service.google_cloud_run_service_iam_member.public_access",
  "module.practices_service.google_cloud_run_v2_service_iam_member.public_access",
  "module.users_service.google_cloud_run_service_iam_member.public_access",
  "module.gateway.google_cloud_run_service_iam_member.public_access",
  "module.base.google_service_account.agent_service",
  "module.base.google_service_account.journal_service",
  "module.base.google_service_account.meals_service",
  "module.base.google_service_account.movements_service",
  "module.base.google_service_account.practices_service",
  "module.base.google_service_account.users_service",
  "module.gateway.google_service_account.gateway",
  "module.base.google_storage_bucket.traditions",
  "module.base.google_storage_bucket_iam_member.journal_sa_gcs_access",
  "module.base.google_storage_bucket_iam_member.agent_sa_gcs_access",
  "module.base.google_storage_bucket_iam_member.agent_sa_bucket_access",
] as const;

/** The old project-wide `secretAccessor` grants: destroyed in the old state (`tofu destroy -target`), never adopted. */
export const OLD_STATE_DESTROYED = [
  "module.base.google_project_iam_member.agent_sa_secret_access",
  "module.base.google_project_iam_member.journal_sa_secret_access",
  "module.base.google_project_iam_member.meals_sa_secret_access",
  "module.base.google_project_iam_member.movements_sa_secret_access",
  "module.base.google_project_iam_member.practices_sa_secret_access",
  "module.base.google_project_iam_member.users_sa_secret_access",
  "module.gateway.google_project_iam_member.gateway_sa_secret_access",
] as const;

/** Made by hand by today's bootstrap scripts, outside any state: removed by a person once the new pipeline has deployed. */
export const LEFTOVERS = ["open-tofu-deployer", "github-provider"] as const;

/** The order of the applies at cut-over, per environment (staging first). */
export const APPLY_ORDER = ["foundation", "github", "services", "gateway"] as const;
