import type { IConstruct } from "constructs";
import { TerraformResource } from "../../lib/cdk";
import { attributesOf, environmentOf } from "../inspect";
import type { Finding, PolicyRule } from "../types";

/**
 * MM-PROD-2: `force_destroy` deletes a bucket's objects (state, images) with
 * the bucket. Any resource type that has the argument is checked.
 */
export const PROD_NO_FORCE_DESTROY: PolicyRule = {
  id: "MM-PROD-2",
  description: "no resource sets force_destroy (an error where the environment sets deletionProtection, else a warning)",
  severity: "error",
  fix: "remove force_destroy; empty the bucket deliberately before deleting it",
  check(node: IConstruct): Finding[] {
    if (!TerraformResource.isTerraformResource(node) || attributesOf(node).force_destroy !== true) return [];
    const found = `${node.terraformResourceType} sets force_destroy = true`;
    return [environmentOf(node)?.deletionProtection === true ? found : { found, severity: "warning" }];
  },
};
