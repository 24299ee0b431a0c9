import { ProjectIamBinding } from "@cdktf/provider-google/lib/project-iam-binding";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import type { IConstruct } from "constructs";
import { attributesOf } from "../inspect";
import type { Finding, PolicyRule } from "../types";
import { SERVICE_ACCOUNT_MEMBER } from "../../lib/patterns";

/** Roles that, project-wide, reach every secret or every resource. */
const FORBIDDEN_ROLES = ["roles/owner", "roles/editor", "roles/secretmanager.secretAccessor"];

/** MM-IAM-2: service accounts get narrow roles on resources, not broad roles on the project. */
export const IAM_PROJECT_ROLES: PolicyRule = {
  id: "MM-IAM-2",
  description: "no service account is granted roles/owner, roles/editor or roles/secretmanager.secretAccessor on the project",
  severity: "error",
  fix: "grant a narrower role on the resource itself (e.g. google_secret_manager_secret_iam_member per secret, roles/run.developer for deploys)",
  check(node: IConstruct): Finding[] {
    if (!(node instanceof ProjectIamMember || node instanceof ProjectIamBinding)) return [];
    const { role, member, members, project } = attributesOf(node);
    if (!FORBIDDEN_ROLES.includes(role)) return [];
    return ((members ?? [member]) as string[])
      .filter((m) => SERVICE_ACCOUNT_MEMBER.test(m))
      .map((m) => `${m} has ${role} on project ${project ?? "(provider default)"}`);
  },
};
