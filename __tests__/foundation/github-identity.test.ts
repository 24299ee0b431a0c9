import { IamWorkloadIdentityPool } from "@cdktf/provider-google/lib/iam-workload-identity-pool";
import { IamWorkloadIdentityPoolProvider } from "@cdktf/provider-google/lib/iam-workload-identity-pool-provider";
import { githubAttributeCondition } from "../../constructs/foundation/github-identity";
import { production, staging } from "../../environments";
import { GITHUB } from "../../environments/github";
import { workloadIdentityProviderName } from "../../lib/naming";
import { GithubIdentity } from "../../constructs/foundation/github-identity";
import type { GithubConfig } from "../../environments/github";
import type { EnvironmentConfig } from "../../environments/types";
import { TerraformStack, Testing } from "../../lib/cdk";
import { resourcesOf, ungated, withGate } from "../helpers";

/** A bare identity construct in a test stack, for its synth warnings. */
function foundationScope(env: EnvironmentConfig, github: GithubConfig) {
  const stack = new TerraformStack(Testing.app(), "identity");
  new GithubIdentity(stack, "identity", { environment: env, github });
  return stack;
}

function warningsIn(scope: { node: { findAll(): { node: { metadata: { type: string; data: unknown }[] } }[] } }): string[] {
  return scope.node
    .findAll()
    .flatMap((c) => c.node.metadata)
    .filter((m) => m.type === "@cdktf/warn")
    .map((m) => String(m.data));
}
import { foundationOf } from "./grants";

describe("GitHub workload identity", () => {
  it("admits only this repository in staging", () => {
    expect(githubAttributeCondition(staging, GITHUB)).toBe('assertion.repository == "Peleke/MindMirror"');
  });

  it("admits only jobs of production's three GitHub environments in production: the gated one, production-ci and production-plan", () => {
    expect(githubAttributeCondition(production, GITHUB)).toBe(
      'assertion.repository == "Peleke/MindMirror" && ' +
        '(assertion.environment == "production" || assertion.environment == "production-ci" || assertion.environment == "production-plan")',
    );
  });

  it("derives the environment clauses from the config, not from the environment's name", () => {
    const gated = withGate(staging, { githubEnvironment: "staging-gate" });
    expect(githubAttributeCondition(gated, GITHUB)).toBe(
      'assertion.repository == "Peleke/MindMirror" && (assertion.environment == "staging-gate" || assertion.environment == "staging-ci" || assertion.environment == "staging-plan")',
    );
    const renamed = withGate(staging, { githubEnvironment: "staging-gate", unattended: { githubEnvironment: "staging-unattended", builderAccountId: "github-builder-staging" } });
    expect(githubAttributeCondition(renamed, { ...GITHUB, planEnvironmentSuffix: "-pr" })).toContain(
      '(assertion.environment == "staging-gate" || assertion.environment == "staging-unattended" || assertion.environment == "staging-pr")',
    );
    expect(githubAttributeCondition(ungated(production), GITHUB)).toBe('assertion.repository == "Peleke/MindMirror"');
  });

  it("admits the numeric repository and owner ids too, when the config gives them", () => {
    const pinned = { ...GITHUB, ids: { repository: 123456789, owner: 987654 } };
    expect(githubAttributeCondition(staging, pinned)).toBe(
      'assertion.repository == "Peleke/MindMirror" && assertion.repository_id == "123456789" && assertion.repository_owner_id == "987654"',
    );
    expect(githubAttributeCondition(production, pinned)).toBe(
      'assertion.repository == "Peleke/MindMirror" && assertion.repository_id == "123456789" && assertion.repository_owner_id == "987654" && ' +
        '(assertion.environment == "production" || assertion.environment == "production-ci" || assertion.environment == "production-plan")',
    );
  });

  it("fails if a GitHub environment name could break out of the CEL string", () => {
    const gated = withGate(production, { githubEnvironment: 'production" || true || "' });
    expect(() => githubAttributeCondition(gated, GITHUB)).toThrow(/GitHub environment of production: "production\\" \|\| true \|\| \\"" is not valid; use letters, digits/);
  });

  it("fails if the repository name could break out of the CEL string", () => {
    expect(() => githubAttributeCondition(staging, { ...GITHUB, repository: 'x" || true || "' })).toThrow(
      /github\.repository: "x\\" \|\| true \|\| \\"" is not valid; use a GitHub repository name/,
    );
    expect(() => githubAttributeCondition(staging, { ...GITHUB, owner: "" })).toThrow(/github\.owner: "" is not valid/);
  });

  describe.each([
    { env: staging, project: "mindmirror-69" },
    { env: production, project: "mindmirror-prod" },
  ])("in $env.name", ({ env, project }) => {
    const { text, json } = foundationOf(env);

    it("keeps today's pool and provider ids", () => {
      expect(text).toHaveResourceWithProperties(IamWorkloadIdentityPool, { project, workload_identity_pool_id: "github-pool", disabled: false });
      expect(text).toHaveResourceWithProperties(IamWorkloadIdentityPoolProvider, {
        project,
        workload_identity_pool_provider_id: "github-oidc",
        workload_identity_pool_id: "${google_iam_workload_identity_pool.github.workload_identity_pool_id}",
      });
    });

    it("trusts GitHub's issuer with the condition of the environment", () => {
      const provider = resourcesOf(json, "google_iam_workload_identity_pool_provider").github_oidc;
      expect(provider.oidc).toEqual({ issuer_uri: "https://token.actions.githubusercontent.com" });
      expect(provider.attribute_condition).toBe(githubAttributeCondition(env, GITHUB));
    });

    it("maps the claims the condition and the audit log need", () => {
      const provider = resourcesOf(json, "google_iam_workload_identity_pool_provider").github_oidc;
      expect(provider.attribute_mapping).toEqual({
        "google.subject": "assertion.sub",
        "attribute.repository": "assertion.repository",
        "attribute.repository_owner": "assertion.repository_owner",
        "attribute.ref": "assertion.ref",
        "attribute.environment": "assertion.environment",
        "attribute.repository_environment": 'assertion.repository + ":" + (has(assertion.environment) ? assertion.environment : "")',
        "attribute.actor": "assertion.actor",
      });
    });

    it("warns at synth while the numeric repository and owner ids are missing", () => {
      expect(GITHUB.ids).toBeUndefined();
      const warnings = warningsIn(foundationScope(env, GITHUB));
      expect(warnings).toEqual([
        `github.ids: the Workload Identity condition of ${env.name} admits Peleke/MindMirror by name only; add { repository, owner } from gh api repos/Peleke/MindMirror --jq '.id, .owner.id' to environments/github.ts`,
      ]);
      expect(warningsIn(foundationScope(env, { ...GITHUB, ids: { repository: 11, owner: 22 } }))).toEqual([]);
    });

    it("publishes the provider name the workflows authenticate with", () => {
      expect(json.output?.workload_identity_provider.value).toBe(workloadIdentityProviderName(env));
      expect(json.output?.workload_identity_provider.value).toBe(
        `projects/${env.project.number}/locations/global/workloadIdentityPools/github-pool/providers/github-oidc`,
      );
    });
  });
});
