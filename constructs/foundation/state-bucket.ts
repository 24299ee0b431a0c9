import { StorageBucket } from "@cdktf/provider-google/lib/storage-bucket";
import { StorageBucketIamMember } from "@cdktf/provider-google/lib/storage-bucket-iam-member";
import { Construct } from "constructs";
import type { EnvironmentConfig } from "../../environments/types";
import { check } from "../../lib/errors";
import { importExisting } from "../import-existing";

/** A state prefix as environments/validate.ts allows it; also keeps a quote out of the CEL expression. */
const PREFIX = /^[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*$/;

/**
 * CEL condition admitting the objects under `prefixes` of `bucket` and the
 * listings of those prefixes. Reads and writes are checked on the object
 * (`resource.name`); a listing is checked on the bucket, so it is admitted
 * through the prefix it asks for (`tofu init` lists workspaces with
 * `<prefix>/`).
 */
export function statePrefixCondition(bucket: string, prefixes: readonly string[]): string {
  check(prefixes.length > 0, "state prefixes", prefixes, "grant at least one prefix");
  const clauses: string[] = [];
  for (const prefix of prefixes) {
    check(PREFIX.test(prefix), "state prefix", prefix, "use path segments without leading or trailing '/', such as \"envs/staging/services\"");
    const folder = JSON.stringify(`${prefix}/`);
    clauses.push(
      `resource.name.startsWith(${JSON.stringify(`projects/_/buckets/${bucket}/objects/${prefix}/`)})`,
      `api.getAttribute("storage.googleapis.com/objectListPrefix", "").startsWith(${folder})`,
    );
  }
  return clauses.join(" || ");
}

/** Props of {@link StateBucket}. */
export interface StateBucketProps {
  readonly environment: EnvironmentConfig;
  /** Location of the bucket; it cannot change without replacing the bucket. */
  readonly location: string;
  /**
   * Adopt the bucket that exists in the live project.
   * @default false - create it
   */
  readonly importExisting?: boolean;
}

/**
 * The OpenTofu state bucket (`mindmirror-tofu-state`), shared by every
 * environment under its own prefix: versioned, so a bad apply can be rolled
 * back to the previous state; private by construction (public access
 * prevention, IAM only); never destroyed by tofu.
 */
export class StateBucket extends Construct {
  readonly bucket: StorageBucket;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);
    const env = props.environment;
    this.bucket = new StorageBucket(this, "bucket", {
      project: env.project.id,
      name: env.backend.bucket,
      location: props.location,
      storageClass: "STANDARD",
      versioning: { enabled: true },
      publicAccessPrevention: "enforced",
      // Object ACLs off: access is bucket IAM alone, which IAM conditions need.
      uniformBucketLevelAccess: true,
      forceDestroy: false,
      labels: { ...env.labels, purpose: "tofu-state" },
      // Every environment's state lives here.
      lifecycle: { preventDestroy: true },
    });
    this.bucket.overrideLogicalId("tofu_state");
    if (props.importExisting === true) importExisting(this.bucket, `${env.project.id}/${env.backend.bucket}`);
  }
}

/** Props of {@link StatePrefixAccess}. */
export interface StatePrefixAccessProps {
  /** The state bucket: a name, or the managed bucket's `name` attribute. */
  readonly bucket: string;
  /** The bucket's name as a plain string, for the condition (the attribute is a token until apply). */
  readonly bucketName: string;
  /** State prefixes `member` may use, without trailing '/' (`envs/staging/services`). */
  readonly prefixes: readonly string[];
  /** Role on those objects. */
  readonly role: string;
  readonly member: string;
}

/**
 * Bucket-level IAM limited by a condition to some state prefixes. Works on a
 * bucket this stack does not manage (production's deployer on the bucket in
 * the staging project).
 */
export class StatePrefixAccess extends Construct {
  readonly binding: StorageBucketIamMember;

  constructor(scope: Construct, id: string, props: StatePrefixAccessProps) {
    super(scope, id);
    this.binding = new StorageBucketIamMember(this, "binding", {
      bucket: props.bucket,
      role: props.role,
      member: props.member,
      condition: {
        title: "own state prefixes only",
        description: `State objects under ${props.prefixes.join(", ")}`.slice(0, 256),
        expression: statePrefixCondition(props.bucketName, props.prefixes),
      },
    });
  }
}
