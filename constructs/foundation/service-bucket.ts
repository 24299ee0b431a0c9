import { StorageBucket } from "@cdktf/provider-google/lib/storage-bucket";
import { StorageBucketIamMember } from "@cdktf/provider-google/lib/storage-bucket-iam-member";
import { Construct } from "constructs";
import type { BucketDefinition } from "../../catalog/types";
import type { EnvironmentConfig } from "../../environments/types";
import type { Grantee } from "../../lib/grantee";
import { bucketName, environmentLabels, resourceName, terraformName } from "../../lib/naming";
import { importExisting } from "../import-existing";

/** Props of {@link ServiceBucket}. */
export interface ServiceBucketProps {
  readonly environment: EnvironmentConfig;
  readonly definition: BucketDefinition;
}

/**
 * A bucket the services use (`traditions-mindmirror-69-staging`), with the
 * storage roles the catalog gives each service on it. Uniform access (IAM
 * only), never force-destroyed and never destroyed by tofu: its objects are
 * the app's data. A bucket that exists is adopted with an import block.
 * Grants go through {@link ServiceBucket.grant}.
 */
export class ServiceBucket extends Construct {
  readonly bucket: StorageBucket;
  private readonly baseName: string;

  constructor(scope: Construct, id: string, props: ServiceBucketProps) {
    super(scope, id);
    const env = props.environment;
    const def = props.definition;
    const name = bucketName(env, def.name);
    this.bucket = new StorageBucket(this, "bucket", {
      project: env.project.id,
      name,
      // GCS reports locations upper-case; today's buckets sit in the region.
      location: env.region.toUpperCase(),
      storageClass: "STANDARD",
      uniformBucketLevelAccess: true,
      publicAccessPrevention: "enforced",
      forceDestroy: false,
      labels: { ...environmentLabels(env), purpose: resourceName(def.name) },
      lifecycle: { preventDestroy: true },
    });
    this.bucket.overrideLogicalId(resourceName(def.name));
    if (env.importExisting && def.adopt === true) importExisting(this.bucket, `${env.project.id}/${name}`);
    this.baseName = def.name;
  }

  /**
   * Gives `grantee` one storage role on the bucket (`roles/storage.objectViewer`;
   * the catalog admits no other kind), at `<bucket>_<grantee>_<role>`.
   */
  grant(grantee: Grantee, role: string): StorageBucketIamMember {
    const binding = new StorageBucketIamMember(this, `${grantee.grantName}-${role}`, {
      bucket: this.bucket.name,
      role,
      member: grantee.member,
    });
    binding.overrideLogicalId(terraformName(this.baseName, grantee.grantName, role.replace(/^roles\//, "")));
    return binding;
  }
}
