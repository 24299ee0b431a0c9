import { StorageBucket } from "@cdktf/provider-google/lib/storage-bucket";
import { StorageBucketIamMember } from "@cdktf/provider-google/lib/storage-bucket-iam-member";
import { Construct } from "constructs";
import type { EnvironmentConfig } from "../../environments/types";
import { check } from "../../lib/errors";
import { importExisting } from "../import-existing";
import { PATH_SEGMENTS } from "../../lib/patterns";

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
    check(PATH_SEGMENTS.test(prefix), "state prefix", prefix, "use path segments without leading or trailing '/', such as \"envs/staging/services\"");
    const folder = JSON.stringify(`${prefix}/`);
    clauses.push(
      `resource.name.startsWith(${JSON.stringify(`projects/_/buckets/${bucket}/objects/${prefix}/`)})`,
      `api.getAttribute("storage.googleapis.com/objectListPrefix", "").startsWith(${folder})`,
    );
  }
  return clauses.join(" || ");
}

/**
 * Deleted and replaced state versions stay restorable this long: GCS keeps a
 * deleted object (a noncurrent version included) in soft delete, where only
 * `storage.objects.restore` brings it back and nobody can remove it early,
 * and only `storage.buckets.update`, which no CI account holds, changes it.
 */
export const STATE_SOFT_DELETE_SECONDS = 30 * 24 * 3600;
/**
 * A replaced state version is kept this many days, one more than the
 * 30 days any earlier state must stay restorable: the version current 30
 * days ago was replaced at most 30 days ago.
 */
export const STATE_NONCURRENT_DAYS = 31;
/** Usage logs of the state bucket are kept a year, then deleted. */
export const ACCESS_LOG_DAYS = 365;
/** GCS writes usage logs as this group; it needs to create objects in the log bucket. */
export const STORAGE_ANALYTICS_MEMBER = "group:cloud-storage-analytics@google.com";

/** Props of {@link StateBucket}. */
export interface StateBucketProps {
  readonly environment: EnvironmentConfig;
  /** Location of the bucket; it cannot change without replacing the bucket. */
  readonly location: string;
  /**
   * Where usage logs go: a bucket created for them beside the state bucket.
   * @default - the environment's backend.managedBucket.accessLogs, else no logs
   */
  readonly accessLogs?: { readonly bucket: string; readonly prefix?: string };
  /**
   * Adopt the bucket that exists in the live project.
   * @default false - create it
   */
  readonly importExisting?: boolean;
}

/**
 * The OpenTofu state bucket (`mindmirror-tofu-state`), shared by every
 * environment under its own prefix: versioned, with every state of the last
 * 30 days restorable (noncurrent versions kept 31 days, deletions held in
 * soft delete for 30), so a bad apply can be rolled back to an earlier
 * state; private by construction (public access prevention, IAM only); its
 * usage logged where the environment says; never destroyed by tofu.
 */
export class StateBucket extends Construct {
  readonly bucket: StorageBucket;
  /** Present where the environment asks for access logs. */
  readonly logBucket?: StorageBucket;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);
    const env = props.environment;
    const accessLogs = props.accessLogs ?? env.backend.managedBucket?.accessLogs;
    if (accessLogs !== undefined) {
      check(accessLogs.bucket !== env.backend.bucket, "StateBucket accessLogs.bucket", accessLogs.bucket, "logs go to a bucket of their own; use another name");
      this.logBucket = new StorageBucket(this, "access-logs", {
        project: env.project.id,
        name: accessLogs.bucket,
        location: props.location,
        storageClass: "STANDARD",
        publicAccessPrevention: "enforced",
        uniformBucketLevelAccess: true,
        forceDestroy: false,
        labels: { ...env.labels, purpose: "tofu-state-access-logs" },
        lifecycleRule: [{ action: { type: "Delete" }, condition: { age: ACCESS_LOG_DAYS } }],
        // The record of who touched the state.
        lifecycle: { preventDestroy: true },
      });
      this.logBucket.overrideLogicalId("tofu_state_access_logs");
      new StorageBucketIamMember(this, "access-logs-writer", {
        bucket: this.logBucket.name,
        role: "roles/storage.objectCreator",
        member: STORAGE_ANALYTICS_MEMBER,
      }).overrideLogicalId("tofu_state_access_logs_writer");
    }
    this.bucket = new StorageBucket(this, "bucket", {
      project: env.project.id,
      name: env.backend.bucket,
      location: props.location,
      storageClass: "STANDARD",
      versioning: { enabled: true },
      softDeletePolicy: { retentionDurationSeconds: STATE_SOFT_DELETE_SECONDS },
      lifecycleRule: [{ action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: STATE_NONCURRENT_DAYS } }],
      logging: this.logBucket === undefined ? undefined : { logBucket: this.logBucket.name, logObjectPrefix: accessLogs?.prefix ?? env.backend.bucket },
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
