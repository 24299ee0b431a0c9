/**
 * A typed model of the part of GitHub Actions workflow syntax this pipeline
 * uses. Workflows are built as these objects and rendered to YAML by
 * `render.ts`; a key GitHub does not know cannot be written by mistake.
 */

/** Access a job's GITHUB_TOKEN (or OIDC token) gets for one scope. */
export type PermissionLevel = "read" | "write";

/** Token scopes the pipeline uses; a scope left out is `none`. */
export interface Permissions {
  readonly contents?: PermissionLevel;
  /** `write` lets the job request an OIDC token (Workload Identity Federation). */
  readonly idToken?: "write";
  readonly issues?: PermissionLevel;
  readonly pullRequests?: PermissionLevel;
  readonly actions?: PermissionLevel;
}

/** At most one run (or job) of a group at a time. */
export interface Concurrency {
  readonly group: string;
  /** Cancel the running one when another starts; never for applies. */
  readonly cancelInProgress: boolean;
}

/** The events that start a workflow. */
export interface Triggers {
  readonly push?: {
    readonly branches: readonly string[];
    /**
     * Do not run when every changed file matches one of these.
     * @default - run for any change
     */
    readonly pathsIgnore?: readonly string[];
  };
  readonly pullRequest?: { readonly branches: readonly string[] };
  /** Another workflow of this repository completed (runs on the default branch). */
  readonly workflowRun?: { readonly workflows: readonly string[] };
  /** On a timetable (UTC, cron syntax), on the default branch. */
  readonly schedule?: readonly { readonly cron: string }[];
  /** The "Run workflow" button (and `gh workflow run`), with the inputs it asks for, if any. */
  readonly workflowDispatch?: true | { readonly inputs: Readonly<Record<string, DispatchInput>> };
}

/** One input of the "Run workflow" form; jobs read it as `inputs.<name>`. */
export interface DispatchInput {
  /** Shown under the field in the form. */
  readonly description: string;
  /** The run cannot start without it. */
  readonly required: boolean;
  /** Free text only: whatever it holds reaches scripts through `env`, and a script checks it. */
  readonly type: "string";
}

/** One step: an action (`uses`) or a shell script (`run`). */
export interface Step {
  readonly name: string;
  /** Lets later steps read `steps.<id>.outputs`. */
  readonly id?: string;
  readonly if?: string;
  readonly uses?: string;
  readonly with?: Readonly<Record<string, string | number | boolean>>;
  readonly run?: string;
  /** Values reach scripts as environment variables, never spliced into the script text. */
  readonly env?: Readonly<Record<string, string>>;
  readonly workingDirectory?: string;
}

/** One job. */
export interface Job {
  readonly name: string;
  readonly runsOn: string;
  readonly needs?: readonly string[];
  readonly if?: string;
  /** GitHub environment the job runs in: its variables, branch policy and reviewers apply. */
  readonly environment?: string;
  readonly permissions: Permissions;
  readonly concurrency?: Concurrency;
  readonly timeoutMinutes: number;
  readonly strategy?: {
    readonly failFast: boolean;
    /** Literal rows, or an expression yielding `{ include: [...] }` (a matrix an earlier job decided). */
    readonly matrix: { readonly include: ReadonlyArray<Readonly<Record<string, string>>> } | string;
  };
  readonly outputs?: Readonly<Record<string, string>>;
  readonly steps: readonly Step[];
}

/** One workflow file. */
export interface Workflow {
  readonly name: string;
  readonly on: Triggers;
  /** Workflow-wide token permissions; jobs widen them as they need. */
  readonly permissions: Permissions;
  readonly concurrency?: Concurrency;
  readonly jobs: Readonly<Record<string, Job>>;
}

/** Where a workflow sits in the pipeline, for readers and tests. */
export type WorkflowRole =
  | { readonly kind: "pull-request" }
  | { readonly kind: "phase"; readonly environment: string; readonly phase: 1 | 2 | 3 | 4 }
  | { readonly kind: "rollback"; readonly environment: string }
  | { readonly kind: "drift" };

/** A workflow and the file it is written to under `.github/workflows/`. */
export interface WorkflowFile {
  readonly file: string;
  readonly role: WorkflowRole;
  readonly workflow: Workflow;
}

/**
 * A step that writes outputs, by id and output names. Steps take their `id`
 * from it and every reference goes through it, so a renamed step or output
 * fails the type check instead of reading an empty string at run time.
 */
export interface StepOutputs<O extends string> {
  /** The step's `id`. */
  readonly id: string;
  /** `steps.<id>.outputs.<name>`, for `if:` conditions. */
  ref(name: O): string;
  /** `${{ steps.<id>.outputs.<name> }}`, for `env`, `with` and job outputs. */
  expr(name: O): string;
}

/** The handle of a step `id` writing `outputs` to `$GITHUB_OUTPUT`. */
export function stepOutputs<const O extends string>(id: string, outputs: readonly O[]): StepOutputs<O> {
  const ref = (name: O) => {
    if (!outputs.includes(name)) throw new Error(`step ${id} writes no output ${JSON.stringify(name)}`);
    return `steps.${id}.outputs.${name}`;
  };
  return { id, ref, expr: (name) => `\${{ ${ref(name)} }}` };
}
