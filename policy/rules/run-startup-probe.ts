import { CloudRunV2Service } from "@cdktf/provider-google/lib/cloud-run-v2-service";
import type { IConstruct } from "constructs";
import { attributesOf, containersOf } from "../inspect";
import type { Finding, PolicyRule } from "../types";

/** MM-RUN-2: a revision takes traffic only once the app inside it has started. */
export const RUN_STARTUP_PROBE: PolicyRule = {
  id: "MM-RUN-2",
  description: "every container of a Cloud Run service declares a startup probe",
  severity: "error",
  fix: "set startup_probe (tcp_socket on the port, or http_get on the catalog's healthPath) on each container",
  check(node: IConstruct): Finding[] {
    if (!(node instanceof CloudRunV2Service)) return [];
    const containers = containersOf(attributesOf(node));
    if (containers.length === 0) return ["the template has no containers"];
    return containers
      .map((container, index) => ({ container, index }))
      .filter(({ container }) => container.startup_probe === undefined || container.startup_probe === null)
      .map(({ container, index }) => `container ${container.name ?? index} has no startup_probe`);
  },
};
