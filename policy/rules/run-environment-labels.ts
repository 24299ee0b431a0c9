import { CloudRunV2Service } from "@cdktf/provider-google/lib/cloud-run-v2-service";
import type { IConstruct } from "constructs";
import { environmentLabels } from "../../lib/naming";
import { attributesOf, environmentOf } from "../inspect";
import type { Finding, PolicyRule } from "../types";

/** MM-RUN-4: cost and inventory reports group services by the environment's labels. */
export const RUN_ENVIRONMENT_LABELS: PolicyRule = {
  id: "MM-RUN-4",
  description: "every Cloud Run service carries the environment's labels and `environment=<name>`",
  severity: "error",
  fix: "set labels to serviceLabels(environment, service) from lib/naming (CloudRunService does this)",
  check(node: IConstruct): Finding[] {
    const env = environmentOf(node);
    if (!(node instanceof CloudRunV2Service) || env === undefined) return [];
    const labels: Record<string, string> = attributesOf(node).labels ?? {};
    const expected = environmentLabels(env);
    return Object.entries(expected)
      .filter(([key, value]) => labels[key] !== value)
      .map(([key, value]) => `label ${key} is ${JSON.stringify(labels[key] ?? null)}, expected ${JSON.stringify(value)}`);
  },
};
