import { CloudRunV2ServiceIamBinding } from "@cdktf/provider-google/lib/cloud-run-v2-service-iam-binding";
import { CloudRunV2ServiceIamMember } from "@cdktf/provider-google/lib/cloud-run-v2-service-iam-member";
import type { IConstruct } from "constructs";
import { attributesOf, environmentOf, grantedService } from "../inspect";
import type { Finding, PolicyRule } from "../types";

const PUBLIC_MEMBERS = ["allUsers", "allAuthenticatedUsers"];

/** MM-IAM-1: only services the catalog marks public are open to the internet. */
export const IAM_PUBLIC_INVOKER: PolicyRule = {
  id: "MM-IAM-1",
  description: "only a service marked public in the catalog may be invoked by allUsers or allAuthenticatedUsers",
  severity: "error",
  fix: "grant the callers' service accounts instead (grantInvoke), or set `public: true` on the service's catalog entry if it must be open to the internet",
  summary(found) {
    const members = PUBLIC_MEMBERS.filter((member) => found.some((f) => f.split(" may invoke ")[0].split(" and ").includes(member)));
    const noun = found.length === 1 ? "backend" : "backends";
    return `${found.length} ${noun} invokable by ${members.join(" or ")} (invoker.unauthenticatedBackends; README "Service-to-service authentication")`;
  },
  check(node: IConstruct): Finding[] {
    if (!(node instanceof CloudRunV2ServiceIamMember || node instanceof CloudRunV2ServiceIamBinding)) return [];
    const attributes = attributesOf(node);
    const members: string[] = attributes.members ?? [attributes.member];
    const open = members.filter((member) => PUBLIC_MEMBERS.includes(member));
    if (open.length === 0) return [];
    const service = grantedService(node, attributes.name);
    if (service?.definition.public === true) return [];
    const env = environmentOf(node);
    const found = `${open.join(" and ")} may invoke ${service?.name ?? attributes.name} (${attributes.role})`;
    // The environment's explicit, documented opt-in turns the error into a reminder.
    if (env?.invoker.unauthenticatedBackends === true) {
      return [{ found: `${found}, allowed only because environment "${env.name}" sets invoker.unauthenticatedBackends`, severity: "warning" }];
    }
    return [found];
  },
};
