/**
 * Every cloud name at its limits and one past them, names with junk before or
 * after a valid part, and each derived name of both environments.
 */
import { production, staging, type EnvironmentConfig } from "../../environments";
import {
  backendConfigFile,
  bucketName,
  cloudRunName,
  deployerEmail,
  environmentLabels,
  healthyImagesFile,
  imageRepositoryPath,
  plannerEmail,
  registryHost,
  registryUrl,
  resourceName,
  secretId,
  serviceAccountId,
  serviceAccountMember,
  serviceLabels,
  serviceUrl,
  terraformName,
  tfvarsFile,
  tfvarsPath,
  workloadIdentityProviderName,
} from "../../lib/naming";
import { errorOf } from "./error-of";

const bare: EnvironmentConfig = { ...production, naming: { serviceSuffix: "", accountSuffix: "" } };
const x = (n: number, c = "a") => c.repeat(n);


describe("naming limits", () => {
  describe("Cloud Run service name", () => {
    it.each(["a", "a1", "a-1", x(49), "agent-service"])("accepts %j", (service) => {
      expect(cloudRunName(bare, service)).toBe(service);
    });

    it.each([x(50), "agent-service!", "!agent-service", "1agent", "agent-", "-agent", "Agent", "agent_service", ""])("fails if it is %j", (service) => {
      expect(errorOf(() => cloudRunName(bare, service))).toBe(
        `Cloud Run service name of ${JSON.stringify(service)} in production: ${JSON.stringify(service)} is not valid; ` +
          "use at most 49 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen (shorten the service name or the environment's naming.serviceSuffix)",
      );
    });

    it("counts the environment's suffix: 41 characters fit staging, 42 do not", () => {
      expect(cloudRunName(staging, x(41))).toBe(`${x(41)}-staging`);
      expect(() => cloudRunName(staging, x(42))).toThrow(/^Cloud Run service name of "a{42}" in staging: "a{42}-staging" is not valid/);
    });
  });

  describe("service-account id", () => {
    it.each(["abcdef", "a2345-x", x(30)])("accepts %j", (service) => {
      expect(serviceAccountId(bare, service)).toBe(service);
    });

    it.each(["abcde", x(31), "abcdef!", "!abcdef", "1abcdef", "abcdef-", "Abcdef", "abc_def"])("fails if it is %j", (service) => {
      expect(errorOf(() => serviceAccountId(bare, service))).toBe(
        `service account id of ${JSON.stringify(service)} in production: ${JSON.stringify(service)} is not valid; ` +
          "GCP allows 6-30 lowercase letters, digits or hyphens, starting with a letter (shorten the service name or the environment's naming.accountSuffix)",
      );
    });

    it("counts the environment's suffix: 19 characters fit production's -production, 20 do not", () => {
      expect(serviceAccountId(production, x(19))).toBe(`${x(19)}-production`);
      expect(() => serviceAccountId(production, x(20))).toThrow(/^service account id of "a{20}" in production: "a{20}-production" is not valid/);
      expect(serviceAccountMember(production, "journal-service")).toBe("serviceAccount:journal-service-production@mindmirror-prod.iam.gserviceaccount.com");
    });
  });

  describe("secret id", () => {
    it.each(["A", "DATABASE_URL", "service-urls-staging", x(255)])("accepts %j", (id) => {
      expect(secretId(id)).toBe(id);
    });

    it.each(["", x(256), "DATABASE_URL!", "!DATABASE_URL", "a.b", "a b"])("fails if it is %j", (id) => {
      expect(errorOf(() => secretId(id))).toBe(`secret id: ${JSON.stringify(id)} is not valid; use 1-255 letters, digits, underscores or hyphens`);
    });
  });

  describe("URL host label", () => {
    const bigNumber: EnvironmentConfig = { ...staging, project: { id: "mindmirror-69", number: "1234567890123456789" } };

    it("accepts a label of exactly 63 characters and fails at 64", () => {
      expect(serviceUrl(bigNumber, x(35))).toBe(`https://${x(35)}-staging-1234567890123456789.us-east4.run.app`);
      expect(errorOf(() => serviceUrl(bigNumber, x(36)))).toBe(
        `URL host label of "${x(36)}" in staging: "${x(36)}-staging-1234567890123456789" is not valid; ` +
          '"{name}-{project number}" must fit a 63-character DNS label; shorten the service name',
      );
    });
  });
});

describe("derived names", () => {
  it.each([
    [staging, "staging.backend.hcl", "staging.auto.tfvars", "us-east4-docker.pkg.dev/mindmirror-69/mindmirror"],
    [production, "production.backend.hcl", "production.auto.tfvars", "us-east4-docker.pkg.dev/mindmirror-prod/mindmirror"],
  ])("names the files and the registry of %s", (env, backend, tfvars, registry) => {
    expect(backendConfigFile(env)).toBe(backend);
    expect(tfvarsFile(env)).toBe(tfvars);
    expect(registryHost(env)).toBe("us-east4-docker.pkg.dev");
    expect(registryUrl(env)).toBe(registry);
    expect(imageRepositoryPath(env, "mesh")).toBe(`${registry}/mesh`);
  });

  it("takes the registry host from the registry's location, not the region", () => {
    const elsewhere: EnvironmentConfig = { ...staging, registry: { ...staging.registry, location: "europe-west1" } };
    expect(registryUrl(elsewhere)).toBe("europe-west1-docker.pkg.dev/mindmirror-69/mindmirror");
  });

  it("names resources in snake case, every hyphen replaced", () => {
    expect(resourceName("a-b-c")).toBe("a_b_c");
  });

  it("labels resources with the environment's labels, its name and the service", () => {
    expect(environmentLabels(staging)).toEqual({ app: "mindmirror", "managed-by": "cdktf", environment: "staging" });
    expect(serviceLabels(production, "gateway")).toEqual({ app: "mindmirror", "managed-by": "cdktf", environment: "production", service: "gateway" });
  });

  it("names the Workload Identity provider by project number, pool and provider", () => {
    expect(workloadIdentityProviderName(staging)).toBe("projects/3858903851/locations/global/workloadIdentityPools/github-pool/providers/github-oidc");
  });
});

describe("names of files, accounts and Terraform addresses", () => {
  it("names each environment's tfvars and health record files", () => {
    expect(tfvarsPath(staging)).toBe("environments/staging.auto.tfvars");
    expect(tfvarsPath(production)).toBe("environments/production.auto.tfvars");
    expect(healthyImagesFile(staging)).toBe("staging.healthy.json");
  });

  it("names the deployer's and the planner's emails", () => {
    expect(deployerEmail(production)).toBe("github-actions-production@mindmirror-prod.iam.gserviceaccount.com");
    expect(plannerEmail(staging)).toBe("github-planner-staging@mindmirror-69.iam.gserviceaccount.com");
  });

  it("builds readable Terraform names in snake case from camelCase, dots and hyphens", () => {
    expect(terraformName("deployer", "iam.serviceAccountUser", "agent-service")).toBe("deployer_iam_service_account_user_agent_service");
    expect(terraformName("mindmirrorDeployerRunServices")).toBe("mindmirror_deployer_run_services");
    expect(terraformName("a--b", "C")).toBe("a_b_c");
    expect(terraformName("run2Go")).toBe("run2_go");
  });

  it("refuses a bucket name GCS reserves: starting with goog, or holding google anywhere", () => {
    expect(() => bucketName(staging, "googly")).toThrow(/^bucket name of "googly" in staging: "googly-mindmirror-69-staging" is not valid; GCS allows/);
    expect(() => bucketName(staging, "my-google")).toThrow(/^bucket name of "my-google" in staging: "my-google-mindmirror-69-staging" is not valid/);
    expect(bucketName(staging, "egoog")).toBe("egoog-mindmirror-69-staging");
  });
});
