/**
 * Where the pipeline runs: this repository, whose workflows deploy, and the
 * application repository the images are built from. Shared by every
 * environment; the GitHub stack and the Workload Identity condition read it.
 */
export interface GithubConfig {
  /** Organisation (or user) owning both repositories. */
  readonly owner: string;
  /** This repository: workflows, GitHub environments and rulesets live here. */
  readonly repository: string;
  /** The application source the service and gateway images are built from. */
  readonly appRepository: string;
}

export const GITHUB: GithubConfig = {
  owner: "mindmirror",
  repository: "mindmirror-infra",
  appRepository: "MindMirror",
};
