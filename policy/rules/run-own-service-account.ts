import { CloudRunV2Service } from "@cdktf/provider-google/lib/cloud-run-v2-service";
import type { IConstruct } from "constructs";
import { TerraformStack } from "../../lib/cdk";
import { attributesOf, environmentOf } from "../inspect";
import type { Finding, PolicyRule } from "../types";
import { DEFAULT_ACCOUNT } from "../../lib/patterns";

/** What identifies an account: a literal email, or a reference within its own stack. */
function accountKey(service: CloudRunV2Service): string | undefined {
  const account: string | undefined = attributesOf(service).template?.service_account;
  return account?.includes("${") ? `${TerraformStack.of(service).node.path}:${account}` : account;
}

/** MM-RUN-1: each service runs as an identity of its own, so its grants stay its own. */
export const RUN_OWN_SERVICE_ACCOUNT: PolicyRule = {
  id: "MM-RUN-1",
  description: "every Cloud Run service runs as its own service account, not a shared or default one",
  severity: "error",
  fix: "give the service its own runtime account (the foundation creates one per catalog entry) and set template.service_account to its email (CloudRunService does this)",
  check(node: IConstruct): Finding[] {
    if (!(node instanceof CloudRunV2Service)) return [];
    const key = accountKey(node);
    if (key === undefined) return ["template.service_account is unset, so it runs as the default compute account"];
    if (DEFAULT_ACCOUNT.test(key)) return [`template.service_account is the default account ${key}`];
    const env = environmentOf(node)?.name;
    const sharing = node.node.root.node
      .findAll()
      .filter((c): c is CloudRunV2Service => c instanceof CloudRunV2Service && c !== node && environmentOf(c)?.name === env)
      .filter((other) => accountKey(other) === key);
    return sharing.map((other) => `template.service_account is shared with ${other.node.path}`);
  },
};
