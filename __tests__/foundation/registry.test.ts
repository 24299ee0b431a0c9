import { ArtifactRegistryRepository } from "@cdktf/provider-google/lib/artifact-registry-repository";
import { ImageRegistry, ROLLBACK_VERSIONS } from "../../constructs/foundation/image-registry";
import { production, staging } from "../../environments";
import { TerraformStack, Testing } from "../../lib/cdk";
import * as path from "node:path";
import { loadImages } from "../../environments/image-files";
import { isValidImage, RELEASE_TAG_PREFIX } from "../../lib/images";
import { imageRepositoryPath } from "../../lib/naming";
import { resourcesOf } from "../helpers";
import { foundationOf } from "./grants";

describe.each([
  { env: staging, project: "mindmirror-69" },
  { env: production, project: "mindmirror-prod" },
])("image registry of $env.name", ({ env, project }) => {
  const { text, json } = foundationOf(env);
  const repository = resourcesOf(json, "google_artifact_registry_repository").mindmirror;

  it("is the Docker repository `mindmirror` the pipeline pushes to", () => {
    expect(text).toHaveResourceWithProperties(ArtifactRegistryRepository, {
      project,
      location: "us-east4",
      repository_id: "mindmirror",
      format: "DOCKER",
      mode: "STANDARD_REPOSITORY",
    });
    expect(json.output?.registry_url.value).toBe(`us-east4-docker.pkg.dev/${project}/mindmirror`);
  });

  it("makes tags immutable, so a reviewed tag always means the same image", () => {
    expect(repository.docker_config).toEqual({ immutable_tags: true });
  });

  it("deletes untagged and old images but keeps every release and the rollback window of every image", () => {
    expect(repository.cleanup_policy_dry_run).toBe(false);
    expect(repository.cleanup_policies).toEqual([
      { id: "delete-untagged", action: "DELETE", condition: { tag_state: "UNTAGGED", older_than: "604800s" } },
      { id: "delete-old-tagged", action: "DELETE", condition: { tag_state: "TAGGED", older_than: "2592000s" } },
      { id: "keep-rollback-window", action: "KEEP", most_recent_versions: { keep_count: 10 } },
      { id: "keep-releases", action: "KEEP", condition: { tag_state: "TAGGED", tag_prefixes: ["v"] } },
    ]);
    expect(ROLLBACK_VERSIONS).toBe(10);
  });

  it("keeps every image the tfvars file names: each one's tag has a kept prefix, and only such tags are accepted", () => {
    const kept: string[] = repository.cleanup_policies
      .filter((p: { action: string; condition?: { tag_prefixes?: string[] } }) => p.action === "KEEP" && p.condition?.tag_prefixes)
      .flatMap((p: { condition: { tag_prefixes: string[] } }) => p.condition.tag_prefixes);
    expect(kept).toEqual([RELEASE_TAG_PREFIX]);
    for (const value of loadImages(env, path.join(__dirname, "..", "..", "environments")).values()) {
      const tag = /:([^:@/]+)$/.exec(value)?.[1];
      if (tag !== undefined) expect([value, kept.some((prefix) => tag.startsWith(prefix))]).toEqual([value, true]);
    }
    const untaggable = `${imageRepositoryPath(env, "mesh")}:1.0.0-abc1234`;
    expect(isValidImage(env, "mesh", untaggable)).toBe(false);
  });

  it("carries the environment's labels", () => {
    expect(repository.labels).toEqual({ ...env.labels, environment: env.name });
  });
});

describe("ImageRegistry", () => {
  it("fails if it would keep no version to roll back to", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    expect(() => new ImageRegistry(stack, "registry", { environment: staging, keepVersions: 0 })).toThrow(
      /ImageRegistry keepVersions: 0 is not valid; keep between 1 and 100 versions/,
    );
  });
});
