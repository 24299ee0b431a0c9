import { CloudRunV2Service } from "@cdktf/provider-google/lib/cloud-run-v2-service";
import type { IConstruct } from "constructs";
import { attributesOf } from "../inspect";
import type { Finding, PolicyRule } from "../types";

/** MM-RUN-3: a traffic spike (or a loop between services) cannot scale without bound. */
export const RUN_MAX_INSTANCES: PolicyRule = {
  id: "MM-RUN-3",
  description: "every Cloud Run service caps its instances with template.scaling.max_instance_count",
  severity: "error",
  fix: "set template.scaling.max_instance_count (the environment's scaling.maxInstances)",
  check(node: IConstruct): Finding[] {
    if (!(node instanceof CloudRunV2Service)) return [];
    const max: unknown = attributesOf(node).template?.scaling?.max_instance_count;
    if (max === undefined || max === null) return ["template.scaling.max_instance_count is unset"];
    // A literal, or a string OpenTofu converts to one ("0"); a `${var…}` expression
    // (NaN here) is bounded by its own variable's validation.
    if (Number(max) < 1) return [`template.scaling.max_instance_count is ${JSON.stringify(max)}`];
    return [];
  },
};
