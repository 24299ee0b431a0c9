/**
 * A CI account's role list is code a person edits: each way of writing it
 * wrongly fails synth in one line, naming the account, the role and the fix;
 * each right entry lands on the resource its scope names, at a readable address.
 */
import { CiAccount } from "../../constructs/foundation/ci-account";
import type { DeployerRole } from "../../constructs/foundation/deployer-roles";
import { staging } from "../../environments";
import { resourcesOf, synth } from "../helpers";
import { foundationOf } from "./grants";

/** A CI account named `auditor` with `roles`, beside staging's foundation. */
function auditor(roles: DeployerRole[]) {
  const { stack } = foundationOf(staging);
  const account = new CiAccount(stack, "auditor", {
    environment: staging,
    accountId: "github-auditor-staging",
    name: "auditor",
    displayName: "auditor",
    description: "test account",
    principal: stack.identity.principalSetFor("plan"),
    roles,
    targets: { registry: stack.registry, runtimeAccounts: {}, cloudRunServices: [], urlsSecret: "service-urls-staging", stateBucket: "b", statePrefixes: [] },
  });
  return { account, json: synth(stack).json };
}

const why = "test";

describe("CI account role lists", () => {
  it("grants a registry role to the account as a grantee, at <account>_<role>", () => {
    const { account, json } = auditor([{ role: "roles/artifactregistry.reader", scope: "registry", why }]);
    expect(account.grantName).toBe("auditor");
    expect(resourcesOf(json, "google_artifact_registry_repository_iam_member").auditor_artifactregistry_reader).toMatchObject({
      role: "roles/artifactregistry.reader",
      member: "serviceAccount:${google_service_account.auditor.email}",
      repository: "${google_artifact_registry_repository.mindmirror.name}",
    });
  });

  it("defines a custom role once, by its id, with exactly its permissions", () => {
    const { json } = auditor([{ role: "mindmirrorAuditorRead", permissions: ["run.services.get"], scope: "project", why }]);
    expect(resourcesOf(json, "google_project_iam_custom_role").mindmirror_auditor_read).toMatchObject({ role_id: "mindmirrorAuditorRead", permissions: ["run.services.get"] });
    expect(resourcesOf(json, "google_project_iam_member").auditor_mindmirror_auditor_read.role).toBe("${google_project_iam_custom_role.mindmirror_auditor_read.name}");
  });

  it("fails if a predefined role lists permissions", () => {
    expect(() => auditor([{ role: "roles/run.viewer", permissions: ["run.services.get"], scope: "project", why }])).toThrow(
      /^auditor role roles\/run\.viewer: \["run\.services\.get"\] is not valid; a predefined role has no permissions list; remove it$/,
    );
  });

  it.each(["ab", "a".repeat(65), "my-role", "my role", "run.viewer!"])("fails if a custom role id is %j", (role) => {
    expect(() => auditor([{ role, permissions: ["run.services.get"], scope: "project", why }])).toThrow(
      new RegExp(`^auditor custom role id: "${role.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}" is not valid; use 3-64 letters, digits, '_' or '.', or a predefined "roles/\\.\\.\\." name$`),
    );
  });

  it("fails if a custom role lists no permissions", () => {
    expect(() => auditor([{ role: "mindmirrorEmpty", scope: "project", why }])).toThrow(/^auditor custom role mindmirrorEmpty: undefined is not valid; list the permissions of a custom role$/);
    expect(() => auditor([{ role: "mindmirrorEmpty", permissions: [], scope: "project", why }])).toThrow(/^auditor custom role mindmirrorEmpty: \[\] is not valid/);
  });

  it("fails if a custom role is granted on the registry, which takes predefined roles only", () => {
    expect(() => auditor([{ role: "mindmirrorPush", permissions: ["artifactregistry.repositories.uploadArtifacts"], scope: "registry", why }])).toThrow(
      /^auditor registry role: "mindmirrorPush" is not valid; grant a predefined "roles\/artifactregistry\.…" role on the registry$/,
    );
  });
});
