import { StorageBucket } from "@cdktf/provider-google/lib/storage-bucket";
import { StorageBucketIamMember } from "@cdktf/provider-google/lib/storage-bucket-iam-member";
import { Construct } from "constructs";
import type { BucketDefinition } from "../../catalog/types";
import type { EnvironmentConfig } from "../../environments/types";
import { bucketName, environmentLabels, resourceName } from "../../lib/naming";
import { importExisting } from "../import-existing";
import { terraformName } from "./ci-account";

/** One grant on the bucket: a service's account and one storage role. */
export interface BucketGrant {
  /** Base name of the service (`agent-service`), for the grant's address. */
  readonly service: string;
  /** Its account, as an IAM member (`serviceAccount:…`). */
  readonly member: string;
  /** A storage role (`roles/storage.objectViewer`); the catalog admits no other kind. */
  readonly role: string;
}

/** Props of {@link ServiceBucket}. */
export interface ServiceBucketProps {
  readonly environment: EnvironmentConfig;
  readonly definition: BucketDefinition;
  /** Who may use it and how, from the catalog's `buckets` entries. */
  readonly grants: readonly BucketGrant[];
}

/**
 * A bucket the services use (`traditions-mindmirror-69-staging`), with the
 * storage roles the catalog gives each service on it. Uniform access (IAM
 * only), never force-destroyed and never destroyed by tofu: its objects are
 * the app's data. A bucket that exists is adopted with an import block.
 */
export class ServiceBucket extends Construct {
  readonly bucket: StorageBucket;
  readonly grants: readonly StorageBucketIamMember[];

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

    this.grants = props.grants.map((grant) => {
      const binding = new StorageBucketIamMember(this, `${grant.service}-${grant.role}`, {
        bucket: this.bucket.name,
        role: grant.role,
        member: grant.member,
      });
      binding.overrideLogicalId(terraformName(def.name, grant.service, grant.role.replace(/^roles\//, "")));
      return binding;
    });
  }
}
