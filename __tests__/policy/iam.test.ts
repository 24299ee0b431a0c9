import { CloudRunV2ServiceIamBinding } from "@cdktf/provider-google/lib/cloud-run-v2-service-iam-binding";
import { ProjectIamBinding } from "@cdktf/provider-google/lib/project-iam-binding";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { SecretManagerSecretIamMember } from "@cdktf/provider-google/lib/secret-manager-secret-iam-member";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { SERVICES } from "../../catalog";
import { CloudRunService } from "../../constructs/cloud-run-service";
import { InvokerGrant } from "../../constructs/invoker-grant";
import { ALL_USERS } from "../../lib/grantee";
import { production, staging, type EnvironmentConfig } from "../../environments";
import { Testing } from "../../lib/cdk";
import { imageRepositoryPath } from "../../lib/naming";
import { findingsOf, foundOf, LOCKED, policyStack, TestStack } from "./helpers";

const definition = (name: string) => SERVICES.find((s) => s.name === name)!;

/** The real construct for a catalog service. */
function service(stack: TestStack, name: string): CloudRunService {
  const def = definition(name);
  return new CloudRunService(stack, name, {
    environment: stack.environment,
    definition: def,
    image: `${imageRepositoryPath(stack.environment, def.image)}:v1.0.0-abc1234`,
  });
}

describe("MM-IAM-1 public invokers", () => {
  it("accepts invokers that are service accounts", () => {
    const stack = policyStack((s) => {
      const agent = service(s, "agent-service");
      service(s, "journal-service").grantInvoke(agent);
    });
    expect(findingsOf(stack, "MM-IAM-1")).toEqual([]);
  });

  it("accepts allUsers on a service the catalog marks public", () => {
    const stack = policyStack((s) => service(s, "gateway"));
    expect(stack.node.findAll().some((c) => c instanceof InvokerGrant && c.binding.memberInput === "allUsers")).toBe(true);
    expect(findingsOf(stack, "MM-IAM-1")).toEqual([]);
  });

  it("fails if a backend grants allUsers", () => {
    const stack = policyStack((s) => service(s, "agent-service").grantInvoke({ member: "allUsers", grantName: "anyone" }));
    expect(findingsOf(stack, "MM-IAM-1")).toEqual([
      {
        path: "foundation-staging/agent-service/invoker-anyone/binding",
        level: "error",
        message: expect.stringMatching(/^\[MM-IAM-1\] .*: allUsers may invoke agent-service-staging \(roles\/run\.invoker\)\. Fix: /),
      },
    ]);
  });

  it("fails if an IAM binding lists allAuthenticatedUsers", () => {
    const stack = policyStack((s) => {
      const agent = service(s, "agent-service");
      new CloudRunV2ServiceIamBinding(s, "binding", { name: agent.service.name, role: "roles/run.invoker", members: ["allAuthenticatedUsers"] });
    });
    expect(findingsOf(stack, "MM-IAM-1").map((f) => [f.level, f.path])).toEqual([["error", "foundation-staging/binding"]]);
    expect(findingsOf(stack, "MM-IAM-1")[0].message).toContain("allAuthenticatedUsers may invoke agent-service-staging");
  });

  it("finds the service of a grant in another stack by its Cloud Run name", () => {
    const app = Testing.app();
    const services = new TestStack(app, LOCKED, "services");
    service(services, "gateway");
    service(services, "users-service");
    const stack = policyStack(
      (s) => {
        for (const name of ["gateway", "users-service", "unknown"]) CloudRunService.fromName(s, `to-${name}`, LOCKED, name).grantInvoke(ALL_USERS);
      },
      LOCKED,
      app,
    );
    expect(findingsOf(stack, "MM-IAM-1").map((f) => [f.level, f.path])).toEqual([
      ["error", "foundation-staging/to-users-service/invoker-public/binding"],
      ["error", "foundation-staging/to-unknown/invoker-public/binding"],
    ]);
  });

  it.each([staging, production])("warns, naming the environment, where $name keeps backends public", (env: EnvironmentConfig) => {
    expect(env.invoker.unauthenticatedBackends).toBe(true);
    const stack = policyStack((s) => service(s, "habits-service"), env);
    const findings = findingsOf(stack, "MM-IAM-1");
    expect(findings.map((f) => f.level)).toEqual(["warning"]);
    expect(findings[0].message).toContain(`allowed only because environment "${env.name}" sets invoker.unauthenticatedBackends`);
  });
});

describe("MM-IAM-2 project-wide roles", () => {
  it("accepts narrow project roles and per-secret access", () => {
    const stack = policyStack((s) => {
      const account = new ServiceAccount(s, "deployer", { accountId: "deployer" });
      new ProjectIamMember(s, "deploy", { project: "mindmirror-69", role: "roles/run.developer", member: account.member });
      new SecretManagerSecretIamMember(s, "read", { secretId: "DATABASE_URL", role: "roles/secretmanager.secretAccessor", member: account.member });
    });
    expect(findingsOf(stack, "MM-IAM-2")).toEqual([]);
  });

  it.each(["roles/owner", "roles/editor", "roles/secretmanager.secretAccessor"])("fails if a service account gets %s on the project", (role) => {
    const stack = policyStack((s) => {
      const account = new ServiceAccount(s, "runtime", { accountId: "runtime" });
      new ProjectIamMember(s, "by-email", { project: "mindmirror-69", role, member: `serviceAccount:${account.email}` });
      new ProjectIamBinding(s, "by-reference", { project: "mindmirror-69", role, members: [account.member, "group:ops@example.com"] });
    });
    expect(findingsOf(stack, "MM-IAM-2").map((f) => [f.level, f.path, foundOf(f)])).toEqual([
      ["error", "foundation-staging/by-email", `serviceAccount:\${google_service_account.runtime.email} has ${role} on project mindmirror-69`],
      ["error", "foundation-staging/by-reference", `\${google_service_account.runtime.member} has ${role} on project mindmirror-69`],
    ]);
  });
});
