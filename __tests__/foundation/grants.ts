import type { EnvironmentConfig } from "../../environments";
import { Testing } from "../../lib/cdk";
import { FoundationStack, type FoundationStackProps } from "../../stacks/foundation-stack";
import { resourcesOf, synth, type TerraformJson } from "../helpers";

/** The foundation stack of `env`, synthesized in a fresh test app. */
export function foundationOf(env: EnvironmentConfig, props: Omit<FoundationStackProps, "environment"> = {}) {
  const stack = new FoundationStack(Testing.app(), { environment: env, ...props });
  return { stack, ...synth(stack) };
}

/** IAM member resource types, and the attribute naming what each one grants on. */
const IAM_TARGET: Readonly<Record<string, (r: Record<string, any>) => string>> = {
  google_project_iam_member: (r) => `project ${r.project}`,
  google_service_account_iam_member: (r) => `account ${r.service_account_id}`,
  google_artifact_registry_repository_iam_member: (r) => `repository ${r.repository}`,
  google_secret_manager_secret_iam_member: (r) => `secret ${r.secret_id}`,
  google_storage_bucket_iam_member: (r) => `bucket ${r.bucket}`,
};

/** One IAM grant of a synthesized stack, with references made readable. */
export interface Grant {
  readonly target: string;
  readonly role: string;
  readonly member: string;
}

/**
 * Every IAM grant of a synthesized stack as `{target, role, member}`: custom
 * roles by role id, resources by their Terraform name, the deployer as
 * `deployer` and the builder as `builder`, the planner as `planner`.
 */
export function grantsOf(json: TerraformJson): Grant[] {
  const customRoles = resourcesOf(json, "google_project_iam_custom_role");
  const readable = (value: unknown) =>
    String(value)
      .replace(/^\$\{google_project_iam_custom_role\.(\w+)\.name\}$/, (_m, name: string) => `custom:${customRoles[name].role_id}`)
      .replace(/^serviceAccount:\$\{google_service_account.(deployer|builder|planner)\.email\}$/, "$1")
      .replace(/\$\{(google_\w+)\.(\w+)\.\w+\}/g, "$1.$2");
  const grants: Grant[] = [];
  for (const [type, target] of Object.entries(IAM_TARGET)) {
    for (const resource of Object.values(resourcesOf(json, type))) {
      grants.push({ target: readable(target(resource)), role: readable(resource.role), member: readable(resource.member) });
    }
  }
  return grants.sort((a, b) => `${a.target} ${a.role}`.localeCompare(`${b.target} ${b.role}`));
}

/** The grants to one CI account (`deployer` or `builder`), and who may become it. */
export function grantsTo(json: TerraformJson, account: "deployer" | "builder" | "planner"): Grant[] {
  return grantsOf(json).filter((g) => g.member === account || g.target === `account google_service_account.${account}`);
}

/** Every `import` block as `address -> id`. */
export function importsOf(json: TerraformJson): Record<string, string> {
  const blocks = (json.import ?? []) as { to: string; id: string }[];
  return Object.fromEntries(blocks.map((block) => [block.to, block.id]));
}
