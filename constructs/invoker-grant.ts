import { CloudRunV2ServiceIamMember } from "@cdktf/provider-google/lib/cloud-run-v2-service-iam-member";
import { Construct } from "constructs";
import type { EnvironmentConfig } from "../environments/types";

/** The member that means "anyone on the internet". */
export const ALL_USERS = "allUsers";

export interface InvokerGrantProps {
  readonly environment: EnvironmentConfig;
  /** Cloud Run name of the service to invoke (a name, or the service's `name` attribute). */
  readonly serviceName: string;
  /** IAM member allowed to invoke it, e.g. `serviceAccount:…` or `allUsers`. */
  readonly member: string;
}

/**
 * Lets one member invoke one Cloud Run service (`roles/run.invoker`, additive
 * `_iam_member`, never an authoritative policy). Used directly when the
 * service lives in another stack: its name is deterministic, so no
 * cross-stack reference (and no remote state) is needed.
 */
export class InvokerGrant extends Construct {
  readonly binding: CloudRunV2ServiceIamMember;

  constructor(scope: Construct, id: string, props: InvokerGrantProps) {
    super(scope, id);
    this.binding = new CloudRunV2ServiceIamMember(this, "binding", {
      project: props.environment.project.id,
      location: props.environment.region,
      name: props.serviceName,
      role: "roles/run.invoker",
      member: props.member,
    });
  }
}
