import { RepositoryRuleset } from "@cdktf/provider-github/lib/repository-ruleset";
import { Construct } from "constructs";
import { check } from "../../lib/errors";
import { addressPart } from "../../lib/github";

export interface BranchRulesetProps {
  /** Repository the ruleset belongs to. */
  readonly repository: string;
  /** The protected branch, e.g. `main`. */
  readonly branch: string;
  /** Approvals a pull request into the branch needs (1-10). */
  readonly requiredApprovals: number;
  /**
   * Check runs (job names) that must pass on the pull request's latest commit.
   * @default - none
   */
  readonly requiredChecks?: readonly string[];
}

/**
 * A deploy branch that changes only through reviewed pull requests: N
 * approvals, approvals dismissed when the PR changes again (so they approve
 * the images that merge), the last push approved by someone other than its
 * pusher (nobody approves their own change), the pull-request workflow's
 * checks green, no force push, no deletion, and nobody on the bypass list.
 */
export class BranchRuleset extends Construct {
  readonly ruleset: RepositoryRuleset;

  constructor(scope: Construct, id: string, props: BranchRulesetProps) {
    super(scope, id);
    check(
      Number.isInteger(props.requiredApprovals) && props.requiredApprovals >= 1 && props.requiredApprovals <= 10,
      `ruleset of ${props.branch}: requiredApprovals`,
      props.requiredApprovals,
      "use an integer from 1 to 10 (0 means no ruleset: leave it out)",
    );
    this.ruleset = new RepositoryRuleset(this, "ruleset", {
      repository: props.repository,
      name: `${props.branch}: reviewed pull requests only`,
      target: "branch",
      enforcement: "active",
      conditions: { refName: { include: [`refs/heads/${props.branch}`], exclude: [] } },
      rules: {
        deletion: true,
        nonFastForward: true,
        pullRequest: {
          requiredApprovingReviewCount: props.requiredApprovals,
          dismissStaleReviewsOnPush: true,
          requireLastPushApproval: true,
        },
        requiredStatusChecks:
          props.requiredChecks === undefined || props.requiredChecks.length === 0
            ? undefined
            : { requiredCheck: props.requiredChecks.map((context) => ({ context })), strictRequiredStatusChecksPolicy: false },
      },
    });
    this.ruleset.overrideLogicalId(addressPart(props.branch));
  }
}
