/**
 * What each approval gate makes of the pipeline, written out in full: the
 * GitHub environments, the job kinds in each, the account each becomes, who
 * approves, and which branches may use each. The foundation, the github stack
 * and the workflows are all built from this one value; their own suites check
 * that each does (bindings, GitHub environments, each job's `environment:`).
 */
import { production, staging } from "../environments";
import { GITHUB } from "../environments/github";
import { builderEmail, ciAccountEmail, ciTopology } from "../lib/ci";
import { ungated, withGate } from "./helpers";

describe("the CI topology an approval gate derives", () => {
  it("without a gate: one GitHub environment for applies and builds alike, as the deployer; the plans apart, open to every ref, as the planner", () => {
    expect(ciTopology(staging, GITHUB)).toEqual({
      gated: false,
      environmentOf: { deploy: "staging", unattended: "staging", plan: "staging-plan" },
      accountOf: { deploy: "github-actions-staging", unattended: "github-actions-staging", plan: "github-planner-staging" },
      githubEnvironments: [
        { name: "staging", jobs: ["deploy", "unattended"], account: "deploy", branches: ["staging", "main"] },
        { name: "staging-plan", jobs: ["plan"], account: "plan" },
      ],
    });
  });

  it("behind reviewers: applies in the gated environment as the deployer, builds in an ungated one as the builder, plans apart as the planner", () => {
    const gate = production.approval.gate;
    expect(ciTopology(production, GITHUB)).toEqual({
      gated: true,
      environmentOf: { deploy: "production", unattended: "production-ci", plan: "production-plan" },
      accountOf: { deploy: "github-actions-production", unattended: "github-builder-production", plan: "github-planner-production" },
      builderAccountId: "github-builder-production",
      githubEnvironments: [
        { name: "production", jobs: ["deploy"], account: "deploy", gate, branches: ["main"] },
        { name: "production-ci", jobs: ["unattended"], account: "unattended", branches: ["main"] },
        { name: "production-plan", jobs: ["plan"], account: "plan" },
      ],
    });
    expect(gate).toEqual({
      kind: "reviewers",
      githubEnvironment: "production",
      reviewers: ["Peleke"],
      preventSelfReview: false,
      unattended: { githubEnvironment: "production-ci", builderAccountId: "github-builder-production" },
    });
  });

  it("follows the gate's own names, not the environment's, and the repository's plan suffix", () => {
    const gated = withGate(staging, { githubEnvironment: "staging-gate", unattended: { githubEnvironment: "staging-builds", builderAccountId: "github-builder-stg" } });
    const topology = ciTopology(gated, { ...GITHUB, planEnvironmentSuffix: "-pr" });
    expect(topology.environmentOf).toEqual({ deploy: "staging-gate", unattended: "staging-builds", plan: "staging-pr" });
    expect(topology.accountOf.unattended).toBe("github-builder-stg");
    expect(topology.githubEnvironments.map((e) => [e.name, e.branches])).toEqual([
      ["staging-gate", ["staging", "main"]],
      ["staging-builds", ["staging", "main"]],
      ["staging-pr", undefined],
    ]);
  });

  it("drops the builder and the gated environment when the gate is removed", () => {
    const open = ciTopology(ungated(production), GITHUB);
    expect(open.gated).toBe(false);
    expect(open.builderAccountId).toBeUndefined();
    expect(open.githubEnvironments.map((e) => e.name)).toEqual(["production", "production-plan"]);
    expect(open.accountOf.unattended).toBe("github-actions-production");
  });

  it("names the account each kind of job signs in as", () => {
    expect(ciAccountEmail(production, "deploy")).toBe("github-actions-production@mindmirror-prod.iam.gserviceaccount.com");
    expect(ciAccountEmail(production, "unattended")).toBe("github-builder-production@mindmirror-prod.iam.gserviceaccount.com");
    expect(ciAccountEmail(production, "plan")).toBe("github-planner-production@mindmirror-prod.iam.gserviceaccount.com");
    expect(ciAccountEmail(staging, "unattended")).toBe("github-actions-staging@mindmirror-69.iam.gserviceaccount.com");
    expect(builderEmail(production)).toBe("github-builder-production@mindmirror-prod.iam.gserviceaccount.com");
    expect(builderEmail(staging)).toBeUndefined();
  });
});
