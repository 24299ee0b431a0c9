import { IamWorkloadIdentityPool } from "@cdktf/provider-google/lib/iam-workload-identity-pool";
import { IamWorkloadIdentityPoolProvider } from "@cdktf/provider-google/lib/iam-workload-identity-pool-provider";
import { Construct } from "constructs";
import type { GithubConfig } from "../../environments/github";
import type { EnvironmentConfig } from "../../environments/types";
import { Annotations } from "../../lib/cdk";
import { check } from "../../lib/errors";
import { ciTopology, type CiJob, type CiTopology } from "../../lib/ci";
import { importExisting } from "../import-existing";
import { GITHUB_ENVIRONMENT, GITHUB_REPOSITORY } from "../../lib/patterns";

/** GitHub Actions' OIDC token issuer. */
export const GITHUB_ISSUER = "https://token.actions.githubusercontent.com";

/** Joins repository and GitHub environment in {@link REPOSITORY_ENVIRONMENT}; neither a repository nor an environment name holds it. */
export const REPOSITORY_ENVIRONMENT_SEPARATOR = ":";

/** The combined attribute the CI accounts' bindings name: `Peleke/MindMirror:production`. */
export const REPOSITORY_ENVIRONMENT = "repository_environment";

/**
 * Token claims copied into attributes: `repository` and `repository_environment`
 * (repository + GitHub environment, one value) for the principal sets the CI
 * accounts trust, the rest so audit logs show which ref and person ran a job.
 * A job outside any GitHub environment gets an empty environment part rather
 * than a failed mapping, so tokens of workflows without environments (today's,
 * until the cut-over deletes them) still pass.
 */
export const GITHUB_ATTRIBUTE_MAPPING: Readonly<Record<string, string>> = {
  "google.subject": "assertion.sub",
  "attribute.repository": "assertion.repository",
  "attribute.repository_owner": "assertion.repository_owner",
  "attribute.ref": "assertion.ref",
  "attribute.environment": "assertion.environment",
  [`attribute.${REPOSITORY_ENVIRONMENT}`]: `assertion.repository + "${REPOSITORY_ENVIRONMENT_SEPARATOR}" + (has(assertion.environment) ? assertion.environment : "")`,
  "attribute.actor": "assertion.actor",
};

/**
 * The CEL condition a GitHub token must meet to be exchanged at all: it comes
 * from this repository (by name, and by the numeric repository and owner ids
 * when `github.ids` gives them, so a re-created repository of the same name is
 * refused) and, where the environment has an approval gate, from a
 * job running in one of its GitHub environments (the gated one, the ungated
 * one of builds and plans, or the read-only plans' one). Which account a token may then become is
 * decided by the accounts' own bindings, per GitHub environment.
 */
export function githubAttributeCondition(env: EnvironmentConfig, github: GithubConfig, topology: CiTopology = ciTopology(env, github)): string {
  check(GITHUB_REPOSITORY.test(github.owner), "github.owner", github.owner, "use a GitHub owner name: letters, digits, '_', '.' or '-'");
  check(GITHUB_REPOSITORY.test(github.repository), "github.repository", github.repository, "use a GitHub repository name: letters, digits, '_', '.' or '-'");
  const ids =
    github.ids === undefined
      ? ""
      : ` && assertion.repository_id == ${JSON.stringify(String(github.ids.repository))} && assertion.repository_owner_id == ${JSON.stringify(String(github.ids.owner))}`;
  const repository = `assertion.repository == ${JSON.stringify(`${github.owner}/${github.repository}`)}${ids}`;
  if (!topology.gated) return repository;
  const environments = topology.githubEnvironments.map((e) => e.name);
  for (const name of environments) {
    check(GITHUB_ENVIRONMENT.test(name), `GitHub environment of ${env.name}`, name, "use letters, digits, '.', '_' or '-' (approval.gate's GitHub environments, github.planEnvironmentSuffix)");
  }
  const admitted = environments.map((name) => `assertion.environment == ${JSON.stringify(name)}`).join(" || ");
  return `${repository} && (${admitted})`;
}

/** Props of {@link GithubIdentity}. */
export interface GithubIdentityProps {
  readonly environment: EnvironmentConfig;
  /** The repository whose workflows may authenticate. */
  readonly github: GithubConfig;
  /**
   * Adopt the pool and provider that exist in the live project.
   * @default false - create them
   */
  readonly importExisting?: boolean;
}

/**
 * The Workload Identity pool (`github-pool`) and OIDC provider
 * (`github-oidc`) through which GitHub Actions exchange their token for
 * Google credentials: no service-account key exists anywhere.
 */
export class GithubIdentity extends Construct {
  readonly pool: IamWorkloadIdentityPool;
  readonly provider: IamWorkloadIdentityPoolProvider;
  /** The token condition the provider enforces. */
  readonly attributeCondition: string;
  /** The GitHub environments the environment's jobs run in, and the accounts they become. */
  readonly topology: CiTopology;
  private readonly github: GithubConfig;

  constructor(scope: Construct, id: string, props: GithubIdentityProps) {
    super(scope, id);
    const { environment: env, github } = props;
    const project = env.project.id;
    this.github = github;
    this.topology = ciTopology(env, github);
    this.attributeCondition = githubAttributeCondition(env, github, this.topology);

    this.pool = new IamWorkloadIdentityPool(this, "pool", {
      project,
      workloadIdentityPoolId: env.ci.workloadIdentityPool,
      displayName: "GitHub Actions",
      description: `GitHub Actions of ${github.owner}/${github.repository}; managed by mindmirror-infra.`,
      disabled: false,
      // A deleted pool id stays reserved for 30 days: a replacement would lock CI out for a month.
      lifecycle: { preventDestroy: true },
    });
    this.pool.overrideLogicalId("github");

    this.provider = new IamWorkloadIdentityPoolProvider(this, "provider", {
      project,
      workloadIdentityPoolId: this.pool.workloadIdentityPoolId,
      workloadIdentityPoolProviderId: env.ci.workloadIdentityProvider,
      displayName: "GitHub Actions OIDC",
      description: `Admits GitHub Actions tokens where ${this.attributeCondition}`.slice(0, 256),
      disabled: false,
      oidc: { issuerUri: GITHUB_ISSUER },
      attributeMapping: { ...GITHUB_ATTRIBUTE_MAPPING },
      attributeCondition: this.attributeCondition,
      lifecycle: { preventDestroy: true },
    });
    this.provider.overrideLogicalId("github_oidc");

    if (github.ids === undefined) {
      Annotations.of(this).addWarning(
        `github.ids: the Workload Identity condition of ${env.name} admits ${github.owner}/${github.repository} by name only; ` +
          `add { repository, owner } from gh api repos/${github.owner}/${github.repository} --jq '.id, .owner.id' to environments/github.ts`,
      );
    }

    if (props.importExisting === true) {
      const poolName = `projects/${project}/locations/global/workloadIdentityPools/${env.ci.workloadIdentityPool}`;
      importExisting(this.pool, poolName);
      importExisting(this.provider, `${poolName}/providers/${env.ci.workloadIdentityProvider}`);
    }
  }

  /** Every identity from this repository's workflows that passed the provider's condition. */
  get repositoryPrincipalSet(): string {
    return `principalSet://iam.googleapis.com/${this.pool.name}/attribute.repository/${this.github.owner}/${this.github.repository}`;
  }

  /**
   * Who may become the account that jobs of kind `job` use: jobs of this
   * repository running in that kind's GitHub environment (`production` for
   * `deploy`, `production-ci` for `unattended`; `staging` for both where there
   * is no gate; `<env>-plan` for `plan`). An unapproved job cannot become the
   * deployer, and a job outside these environments becomes nobody.
   */
  principalSetFor(job: CiJob): string {
    const value = `${this.github.owner}/${this.github.repository}${REPOSITORY_ENVIRONMENT_SEPARATOR}${this.topology.environmentOf[job]}`;
    return `principalSet://iam.googleapis.com/${this.pool.name}/attribute.${REPOSITORY_ENVIRONMENT}/${value}`;
  }
}
