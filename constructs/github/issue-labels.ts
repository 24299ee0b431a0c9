import { IssueLabel } from "@cdktf/provider-github/lib/issue-label";
import { Construct } from "constructs";
import type { IssueLabelConfig } from "../../environments/github";
import { addressPart } from "../../lib/github";

export interface IssueLabelsProps {
  /** Repository the labels belong to. */
  readonly repository: string;
  /** The labels. */
  readonly labels: readonly IssueLabelConfig[];
}

/**
 * The labels the pipeline puts on its issues and PRs. One `github_issue_label`
 * each (not the authoritative `github_issue_labels`), so labels people add by
 * hand are left alone.
 */
export class IssueLabels extends Construct {
  readonly labels = new Map<string, IssueLabel>();

  constructor(scope: Construct, id: string, props: IssueLabelsProps) {
    super(scope, id);
    for (const label of props.labels) {
      const resource = new IssueLabel(this, label.name, {
        repository: props.repository,
        name: label.name,
        color: label.color.toLowerCase(),
        description: label.description,
      });
      resource.overrideLogicalId(addressPart(label.name));
      this.labels.set(label.name, resource);
    }
  }
}
