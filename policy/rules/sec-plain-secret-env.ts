import { CloudRunV2Service } from "@cdktf/provider-google/lib/cloud-run-v2-service";
import type { IConstruct } from "constructs";
import { attributesOf, containersOf } from "../inspect";
import type { Finding, PolicyRule } from "../types";
import { CREDENTIAL_URL, SECRET_SEGMENT } from "../../lib/patterns";

/** MM-SEC-1: secrets reach containers through Secret Manager references only. */
export const SEC_PLAIN_SECRET_ENV: PolicyRule = {
  id: "MM-SEC-1",
  description: "no plain env value looks like a secret (a KEY, SECRET, TOKEN or PASSWORD name, or a URL carrying credentials)",
  severity: "error",
  fix: "add the name to the service's `secretEnv` in the catalog so it is read from Secret Manager (value_source.secret_key_ref)",
  check(node: IConstruct): Finding[] {
    if (!(node instanceof CloudRunV2Service)) return [];
    const findings: Finding[] = [];
    for (const container of containersOf(attributesOf(node))) {
      for (const { name, value } of (container.env ?? []) as { name: string; value?: string }[]) {
        if (value === undefined) continue;
        if (name.split(/[^A-Za-z0-9]/).some((segment) => SECRET_SEGMENT.test(segment))) {
          findings.push(`env ${name} is a plain value but its name marks a secret`);
        } else if (CREDENTIAL_URL.test(value)) {
          // The value itself is the secret: never repeat it in the message.
          findings.push(`env ${name} is a plain value holding a URL with credentials`);
        }
      }
    }
    return findings;
  },
};
