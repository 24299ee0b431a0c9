/**
 * How a job hands an edited tfvars file to the pipeline: a direct commit to
 * the deploy branch, or a pull request to it where the environment's model
 * says image updates go through review (`approval.imageUpdatesByPullRequest`).
 * The build phases (new images) and the rollback (earlier images) publish
 * through these same helpers, so both paths take the same route to an apply.
 */
import { PIPELINE_LABELS } from "../lib/github";
import * as naming from "../lib/naming";
import type { Context } from "./context";
import type { Permissions, Step } from "./model";
import { ACTIONS, SECRETS } from "./toolchain";

/** The environment's tfvars file, relative to the repository root: `infra/environments/staging.auto.tfvars`. */
export function tfvarsPath(ctx: Context): string {
  return `${ctx.infra}/${naming.tfvarsPath(ctx.env)}`;
}

/** Labels of an image-update pull request: `deployment,<env>` (and `gateway` for the gateway's). */
export function pullRequestLabels(ctx: Context, gateway: boolean): string[] {
  return [PIPELINE_LABELS.deployment, ctx.env.name, ...(gateway ? [PIPELINE_LABELS.gateway] : [])];
}

/** What differs between the jobs that publish the tfvars file. */
export interface PublishOptions {
  /** Commit message; also the pull request's title. May hold `${{ }}` expressions (it reaches scripts through `env`). */
  readonly message: string;
  /** Branch the pull request is proposed from; unused where updates are committed directly. */
  readonly pullRequestBranch: string;
  /** Markdown body of the pull request; unused where updates are committed directly. */
  readonly pullRequestBody: string;
  /** Adds the `gateway` label to the pull request. */
  readonly gateway: boolean;
}

/**
 * The step that commits the tfvars file to the deploy branch, or opens (or
 * updates) a pull request to it. The job must have checked out the deploy
 * branch with full history (the commit is rebased onto what landed
 * meanwhile) and without persisted credentials.
 */
export function publishTfvars(ctx: Context, options: PublishOptions): Step {
  const { env } = ctx;
  const tfvars = tfvarsPath(ctx);
  if (ctx.byPullRequest) {
    return {
      name: `Open a pull request to ${env.branch}`,
      uses: ACTIONS.createPullRequest,
      with: {
        token: `\${{ secrets.${SECRETS.deployPullRequestToken} || github.token }}`,
        base: env.branch,
        branch: options.pullRequestBranch,
        "add-paths": tfvars,
        "commit-message": options.message,
        title: options.message,
        body: options.pullRequestBody,
        labels: pullRequestLabels(ctx, options.gateway).join(","),
        "delete-branch": true,
      },
    };
  }
  return {
    // Pushed with the job's token, which starts no workflow: whatever must run next is started another way
    // (workflow_run after a build phase, workflow_dispatch after a rollback).
    name: `Commit to ${env.branch}`,
    env: { TFVARS: tfvars, MESSAGE: options.message, BRANCH: env.branch, TOKEN: "${{ github.token }}" },
    run: [
      'git config user.name "github-actions[bot]"',
      'git config user.email "41898282+github-actions[bot]@users.noreply.github.com"',
      'git add "$TFVARS"',
      "if git diff --cached --quiet; then",
      '  echo "The tfvars file already names these images; nothing to commit."',
      "  exit 0",
      "fi",
      'git commit -m "$MESSAGE"',
      // The token goes to these two commands only (as actions/checkout would set it), not to .git/config.
      'auth=(-c "http.https://github.com/.extraheader=AUTHORIZATION: basic $(printf \'x-access-token:%s\' "$TOKEN" | base64 -w0)")',
      // Another push may have landed meanwhile.
      'git "${auth[@]}" pull --rebase origin "$BRANCH"',
      'git "${auth[@]}" push origin "HEAD:$BRANCH"',
      "",
    ].join("\n"),
  };
}

/** The token scopes {@link publishTfvars} needs. */
export function publishPermissions(ctx: Context): Permissions {
  return ctx.byPullRequest ? { contents: "write", pullRequests: "write" } : { contents: "write" };
}
