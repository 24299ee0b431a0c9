import { production, staging } from "../environments";
import {
  bucketName,
  cloudRunName,
  runtimeAccountEmail,
  imageVariableName,
  serviceAccountEmail,
  serviceAccountId,
  serviceUrl,
  serviceUrlsSecretId,
  stackName,
  statePrefix,
  urlEnvName,
  urlOutputName,
} from "../lib/naming";
import { withEnv } from "./helpers";

describe("naming", () => {
  it("suffixes Cloud Run names in staging and keeps them bare in production", () => {
    expect(cloudRunName(staging, "journal-service")).toBe("journal-service-staging");
    expect(cloudRunName(production, "journal-service")).toBe("journal-service");
  });

  it("keeps today's service-account ids so existing accounts are adopted", () => {
    expect(serviceAccountId(staging, "journal-service")).toBe("journal-service-staging");
    expect(serviceAccountId(production, "journal-service")).toBe("journal-service-production");
    expect(serviceAccountEmail(staging, "journal-service-staging")).toBe(
      "journal-service-staging@mindmirror-69.iam.gserviceaccount.com",
    );
  });

  it("names a service's runtime account by today's id", () => {
    expect(runtimeAccountEmail(production, "habits-service")).toBe("habits-service-production@mindmirror-prod.iam.gserviceaccount.com");
  });

  it("names catalog buckets as today: {bucket}-{project id}-{env}", () => {
    expect(bucketName(staging, "traditions")).toBe("traditions-mindmirror-69-staging");
    expect(bucketName(production, "traditions")).toBe("traditions-mindmirror-prod-production");
  });

  it("fails if a bucket name breaks GCS rules, naming the bucket, the name and the fix", () => {
    expect(() => bucketName(staging, "x".repeat(60))).toThrow(
      /^bucket name of "x{60}" in staging: "x{60}-mindmirror-69-staging" is not valid; GCS allows 3-63 lowercase letters, digits, '-' or '_'/,
    );
    expect(() => bucketName(staging, "Traditions")).toThrow(/^bucket name of "Traditions" in staging: .* is not valid/);
    expect(() => bucketName(withEnv(staging, { name: "googley" }), "p")).toThrow(/containing "google"/);
  });

  it("builds Cloud Run's deterministic URL from name, project number and region", () => {
    expect(serviceUrl(staging, "agent-service")).toBe("https://agent-service-staging-3858903851.us-east4.run.app");
    expect(serviceUrl(production, "gateway")).toBe("https://gateway-435339726777.us-east4.run.app");
  });

  it("names stacks, state prefixes and the URL secret per environment", () => {
    expect(stackName(staging, "services")).toBe("services-staging");
    expect(stackName(production, "gateway")).toBe("gateway-production");
    expect(statePrefix(staging, "gateway")).toBe("envs/staging/gateway");
    expect(statePrefix(production, "services")).toBe("envs/production/services");
    expect(serviceUrlsSecretId(staging)).toBe("service-urls-staging");
    expect(serviceUrlsSecretId(production)).toBe("service-urls-production");
  });

  it("derives the pipeline's output, env and variable names from the service name", () => {
    expect(urlOutputName("agent-service")).toBe("agent_service_url");
    expect(urlOutputName("gateway")).toBe("gateway_url");
    expect(urlEnvName("users-service")).toBe("USERS_SERVICE_URL");
    expect(imageVariableName("movements-service")).toBe("movements_service_image");
  });

  it("fails if a Cloud Run name is longer than 49 characters", () => {
    const long = "a".repeat(42);
    expect(cloudRunName(staging, "a".repeat(41))).toHaveLength(49);
    expect(() => cloudRunName(staging, long)).toThrow(
      /Cloud Run service name of "a{42}" in staging: "a{42}-staging" is not valid; use at most 49 .*shorten the service name/,
    );
  });

  it("fails if a service-account id is longer than 30 characters", () => {
    expect(() => serviceAccountId(production, "notifications-service")).toThrow(
      /service account id of "notifications-service" in production: "notifications-service-production" is not valid; GCP allows 6-30/,
    );
  });

  it("fails if a service-account id is shorter than 6 characters", () => {
    const bare = withEnv(production, { naming: { serviceSuffix: "", accountSuffix: "" } });
    expect(() => serviceAccountId(bare, "api")).toThrow(/service account id of "api" in production: "api" is not valid/);
  });

  it("fails if name and project number do not fit one DNS label", () => {
    const bigNumber = withEnv(staging, { project: { id: "mindmirror-69", number: "1234567890123456789" } });
    expect(serviceUrl(bigNumber, "s".repeat(35))).toMatch(/^https:\/\/s{35}-staging-1234567890123456789\.us-east4\.run\.app$/);
    expect(() => serviceUrl(bigNumber, "s".repeat(37))).toThrow(
      /URL host label of "s{37}" in staging: "s{37}-staging-1234567890123456789" is not valid; .* must fit a 63-character DNS label/,
    );
  });
});
