/**
 * Who a grant is for, as an object (aws-cdk's `IGrantable`): a service's
 * runtime account, a deployed service, or the public. Every grant construct
 * takes one of these, never a bare member string, so the member and the
 * readable address of the grant come from the same place.
 */
export interface Grantee {
  /** The IAM member: `serviceAccount:agent-service-staging@….iam.gserviceaccount.com`, `allUsers`. */
  readonly member: string;
  /** Its name in the Terraform addresses of its grants: `agent-service`, `public`. */
  readonly grantName: string;
}

/** Anyone on the internet. Grants to it are named `…_public`. */
export const ALL_USERS: Grantee = { member: "allUsers", grantName: "public" };

/** A service account by email, named `grantName` in grant addresses. */
export function serviceAccountGrantee(grantName: string, email: string): Grantee {
  return { member: `serviceAccount:${email}`, grantName };
}
