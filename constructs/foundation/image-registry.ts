import { ArtifactRegistryRepository } from "@cdktf/provider-google/lib/artifact-registry-repository";
import { ArtifactRegistryRepositoryIamMember } from "@cdktf/provider-google/lib/artifact-registry-repository-iam-member";
import { Construct } from "constructs";
import type { EnvironmentConfig } from "../../environments/types";
import { check } from "../../lib/errors";
import { RELEASE_TAG_PREFIX } from "../../lib/images";
import type { Grantee } from "../../lib/grantee";
import { environmentLabels, registryUrl, terraformName } from "../../lib/naming";
import { PREDEFINED_ROLE } from "../../lib/patterns";
import { importExisting } from "../import-existing";

/**
 * Versions of each image kept whatever their age or tags: besides every
 * release, the last pushes made by hand, so a rollback to one of those still
 * finds it.
 */
export const ROLLBACK_VERSIONS = 10;
/** Untagged images (a failed or superseded push) go after a week, time enough to notice and re-tag one. */
export const UNTAGGED_MAX_AGE = "604800s";
/**
 * Tagged images older than this are deleted unless a keep rule exempts them:
 * a release tag, or being among the {@link ROLLBACK_VERSIONS} most recent of
 * their image. (Artifact Registry's keep policies only exempt versions from
 * delete policies.)
 */
export const TAGGED_MAX_AGE = "2592000s";

/** Props of {@link ImageRegistry}. */
export interface ImageRegistryProps {
  readonly environment: EnvironmentConfig;
  /**
   * Versions of each image that survive cleanup.
   * @default ROLLBACK_VERSIONS
   */
  readonly keepVersions?: number;
  /**
   * Adopt the repository that exists in the live project.
   * @default false - create it
   */
  readonly importExisting?: boolean;
}

/**
 * The environment's Docker repository (`mindmirror`): immutable tags, so a
 * tag in a tfvars file always means the image that was reviewed; cleanup
 * that never deletes a release (the only images a tfvars file may name) and
 * keeps a window of other pushes; protected from `tofu destroy`.
 */
export class ImageRegistry extends Construct {
  readonly repository: ArtifactRegistryRepository;
  /** `us-east4-docker.pkg.dev/mindmirror-69/mindmirror` */
  readonly url: string;
  private readonly environment: EnvironmentConfig;

  constructor(scope: Construct, id: string, props: ImageRegistryProps) {
    super(scope, id);
    const env = props.environment;
    this.environment = env;
    const keepVersions = props.keepVersions ?? ROLLBACK_VERSIONS;
    check(
      Number.isInteger(keepVersions) && keepVersions >= 1 && keepVersions <= 100,
      "ImageRegistry keepVersions",
      keepVersions,
      "keep between 1 and 100 versions of each image; fewer than 1 leaves nothing to roll back to",
    );
    this.url = registryUrl(env);

    this.repository = new ArtifactRegistryRepository(this, "repository", {
      project: env.project.id,
      location: env.registry.location,
      repositoryId: env.registry.repository,
      format: "DOCKER",
      mode: "STANDARD_REPOSITORY",
      description: `MindMirror service and gateway images (${env.name}); managed by mindmirror-infra.`,
      labels: environmentLabels(env),
      dockerConfig: { immutableTags: true },
      cleanupPolicyDryRun: false,
      cleanupPolicies: [
        { id: "delete-untagged", action: "DELETE", condition: { tagState: "UNTAGGED", olderThan: UNTAGGED_MAX_AGE } },
        { id: "delete-old-tagged", action: "DELETE", condition: { tagState: "TAGGED", olderThan: TAGGED_MAX_AGE } },
        { id: "keep-rollback-window", action: "KEEP", mostRecentVersions: { keepCount: keepVersions } },
        // Image variables accept only release tags (lib/images), so every image a tfvars file on any
        // branch names, today or at a commit a rollback restores, carries one and is never cleaned up.
        { id: "keep-releases", action: "KEEP", condition: { tagState: "TAGGED", tagPrefixes: [RELEASE_TAG_PREFIX] } },
      ],
      // Deleting the repository deletes every image, including the ones running.
      lifecycle: { preventDestroy: true },
    });
    this.repository.overrideLogicalId("mindmirror");
    if (props.importExisting === true) {
      importExisting(
        this.repository,
        `projects/${env.project.id}/locations/${env.registry.location}/repositories/${env.registry.repository}`,
      );
    }
  }

  /**
   * Grants a predefined `role` on this repository alone (additive `_iam_member`),
   * e.g. `roles/artifactregistry.writer` to push, at `<grantee>_<role>`
   * (`deployer_artifactregistry_writer`).
   */
  grant(grantee: Grantee, role: string): ArtifactRegistryRepositoryIamMember {
    check(PREDEFINED_ROLE.test(role), `${grantee.grantName} registry role`, role, "grant a predefined \"roles/artifactregistry.…\" role on the registry");
    const short = role.replace(/^roles\//, "");
    const binding = new ArtifactRegistryRepositoryIamMember(this, `grant-${grantee.grantName}-registry-${short}`, {
      project: this.environment.project.id,
      location: this.repository.location,
      repository: this.repository.name,
      role,
      member: grantee.member,
    });
    binding.overrideLogicalId(terraformName(grantee.grantName, short));
    return binding;
  }
}
