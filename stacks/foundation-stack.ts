import type { Construct } from "constructs";
import { BUCKETS, bucketUsers, SERVICES, validateCatalog, type BucketDefinition, type ServiceDefinition } from "../catalog";
import { Builder } from "../constructs/foundation/builder";
import type { CiGrantTargets } from "../constructs/foundation/ci-account";
import { Deployer } from "../constructs/foundation/deployer";
import { GithubIdentity } from "../constructs/foundation/github-identity";
import { ImageRegistry } from "../constructs/foundation/image-registry";
import { Planner } from "../constructs/foundation/planner";
import { RuntimeAccounts } from "../constructs/foundation/runtime-accounts";
import { ServiceBucket } from "../constructs/foundation/service-bucket";
import { StateBucket } from "../constructs/foundation/state-bucket";
import type { EnvironmentConfig } from "../environments";
import { GITHUB, type GithubConfig } from "../environments/github";
import { TerraformOutput } from "../lib/cdk";
import { check } from "../lib/errors";
import {
  cloudRunName,
  serviceUrlsSecretId,
  statePrefix,
  workloadIdentityProviderName,
  type StackKind,
} from "../lib/naming";
import { EnvironmentStack } from "./environment-stack";

/** Props of {@link FoundationStack}. */
export interface FoundationStackProps {
  readonly environment: EnvironmentConfig;
  /**
   * The services the deployer deploys: their runtime accounts, secrets and stacks.
   * @default SERVICES - the catalog
   */
  readonly catalog?: readonly ServiceDefinition[];
  /**
   * The buckets the catalog's services use.
   * @default BUCKETS - the catalog's
   */
  readonly buckets?: readonly BucketDefinition[];
  /**
   * The repository whose workflows may deploy.
   * @default GITHUB
   */
  readonly github?: GithubConfig;
}

/**
 * `foundation-<env>`: what the pipeline stands on, applied first and rarely,
 * by a person (never by the pipeline it empowers): the image registry, the
 * Workload Identity pool and provider GitHub Actions sign in through, the
 * deployer account with exactly its roles, where deploys are gated the
 * read-mostly builder account of the jobs that run ungated, the read-only
 * planner of pull requests and the drift detection, and, in the
 * environment whose project holds it, the state bucket. Everything that
 * derives from the catalog alone is here too: the runtime account of every
 * service with its per-secret read grants, and the services' buckets with
 * their grants, so the stacks that deploy services only name accounts that
 * exist and the pipeline holds no right to change them. Resources that exist
 * in the live projects are imported, never recreated, where the environment says so.
 */
export class FoundationStack extends EnvironmentStack {
  readonly registry: ImageRegistry;
  readonly identity: GithubIdentity;
  readonly deployer: Deployer;
  /** Present where the environment has an approval gate: the account its unattended jobs use. */
  readonly builder?: Builder;
  /** The read-only account of pull-request plans and the drift detection. */
  readonly planner: Planner;
  /** Present where this environment manages the state bucket. */
  readonly stateBucket?: StateBucket;
  /** The runtime account of every catalog service, with its secret grants. */
  readonly runtimeAccounts: RuntimeAccounts;
  /** The catalog's buckets, by base name. */
  readonly buckets = new Map<string, ServiceBucket>();

  constructor(scope: Construct, props: FoundationStackProps) {
    const env = props.environment;
    const catalog = props.catalog ?? SERVICES;
    const buckets = props.buckets ?? BUCKETS;
    validateCatalog(catalog, buckets);
    super(scope, "foundation", env);
    const importExisting = env.importExisting;

    this.registry = new ImageRegistry(this, "registry", { environment: env, importExisting });
    this.identity = new GithubIdentity(this, "github", { environment: env, github: props.github ?? GITHUB, importExisting });

    const managed = env.backend.managedBucket;
    if (managed !== undefined) {
      this.stateBucket = new StateBucket(this, "state", { environment: env, location: managed.location, importExisting });
    }

    this.runtimeAccounts = new RuntimeAccounts(this, "runtime", { environment: env, catalog });
    const runtimeOf = (service: string) => this.runtimeAccounts.byService.get(service)!;
    const accountOf = (service: string) => runtimeOf(service).account;
    for (const def of buckets) {
      const bucket = new ServiceBucket(this, `bucket-${def.name}`, { environment: env, definition: def });
      for (const { service, roles } of bucketUsers(catalog, def.name)) for (const role of roles) bucket.grant(runtimeOf(service.name), role);
      this.buckets.set(def.name, bucket);
    }

    const pipelineKinds = [...new Set<StackKind>(catalog.map((s) => s.stack))].sort();
    // The pipeline must not reach the state of the stack that defines its own permissions.
    check(!pipelineKinds.includes("foundation"), "catalog stack", "foundation", "deploy services from the services or gateway stack");
    const targets: CiGrantTargets = {
      registry: this.registry,
      runtimeAccounts: Object.fromEntries(catalog.map((s) => [s.name, accountOf(s.name).name])),
      cloudRunServices: catalog.map((s) => cloudRunName(env, s.name)),
      urlsSecret: serviceUrlsSecretId(env),
      stateBucket: this.stateBucket?.bucket.name ?? env.backend.bucket,
      statePrefixes: pipelineKinds.map((kind) => statePrefix(env, kind)),
    };
    this.deployer = new Deployer(this, "deployer", { environment: env, identity: this.identity, importExisting, ...targets });
    // Only a reviewer gate has a builder: without one, unattended jobs are the deployer.
    if (this.identity.topology.builderAccountId !== undefined) {
      this.builder = new Builder(this, "builder", { environment: env, identity: this.identity, ...targets });
    }
    // The planner reads every stack's state, this one's included: it can read what defines it, not change it.
    const allKinds: readonly StackKind[] = ["foundation", "services", "gateway"];
    this.planner = new Planner(this, "planner", {
      environment: env,
      identity: this.identity,
      ...targets,
      statePrefixes: allKinds.map((kind) => statePrefix(env, kind)),
    });

    // What the workflows' google-github-actions/auth step needs, readable with `tofu output`.
    new TerraformOutput(this, "workload_identity_provider", {
      value: workloadIdentityProviderName(env),
      description: "workload_identity_provider input of google-github-actions/auth",
    });
    new TerraformOutput(this, "deployer_service_account", {
      value: this.deployer.account.email,
      description: "service_account input of google-github-actions/auth",
    });
    if (this.builder !== undefined) {
      new TerraformOutput(this, "builder_service_account", {
        value: this.builder.account.email,
        description: "service_account input of google-github-actions/auth in the unattended jobs (builds, plans)",
      });
    }
    new TerraformOutput(this, "planner_service_account", {
      value: this.planner.account.email,
      description: "service_account input of google-github-actions/auth in the read-only plans (pull requests, drift detection)",
    });
    new TerraformOutput(this, "registry_url", { value: this.registry.url, description: "Registry images are pushed to" });
  }
}
