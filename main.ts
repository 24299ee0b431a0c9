import * as path from "node:path";
import { SERVICES } from "./catalog";
import { checkEnvironmentFiles, ENVIRONMENT_SOURCES, ENVIRONMENTS } from "./environments";
import { GITHUB } from "./environments/github";
import { validateEnvironments } from "./environments/guards";
import { errorLines, synthAllOrNothing } from "./lib/synth";
import { applyPolicy, PolicyPack } from "./policy";
import { defineEnvironment, loadImages } from "./stacks";
import { GithubStack } from "./stacks/github-stack";

const DEBUG_FLAG = "MINDMIRROR_DEBUG=1";
const environmentsDir = path.join(__dirname, "environments");

/** What one run of the app takes from its process. */
export interface AppRun {
  /** The folder synth writes (CDKTF_OUTDIR). */
  readonly outdir: string;
  /** Every policy warning on its own line instead of one per rule and environment (MINDMIRROR_VERBOSE=1). */
  readonly verbose: boolean;
  /** The stack trace after an error's lines (MINDMIRROR_DEBUG=1). */
  readonly debug: boolean;
  /** Receives each error line. */
  readonly stderr: (line: string) => void;
  /**
   * The folder holding the image tfvars (`<env>.auto.tfvars`).
   * @default the repository's environments/
   */
  readonly tfvarsDir?: string;
}

/** Synthesizes every stack into `run.outdir`, or prints one line per problem; returns the exit code. */
export function runApp(run: AppRun): number {
  try {
    // Everything about the environments is checked before any file named after one is read.
    checkEnvironmentFiles();
    validateEnvironments(ENVIRONMENTS, {
      catalog: SERVICES,
      sources: () => ENVIRONMENT_SOURCES,
      otherStates: [{ owner: "the github stack (environments/github.ts state.prefix)", ...GITHUB.state }],
    });
    const images = ENVIRONMENTS.map((environment) => loadImages(environment, run.tfvarsDir ?? environmentsDir));
    const pack = new PolicyPack();
    synthAllOrNothing(
      run.outdir,
      (app) => {
        ENVIRONMENTS.forEach((environment, i) => defineEnvironment(app, { environment, images: images[i] }));
        new GithubStack(app, "github", { environments: ENVIRONMENTS });
        applyPolicy(app, pack);
      },
      // One line per rule and environment; annotations.json keeps every construct path either way.
      { annotations: run.verbose ? undefined : (byStack) => pack.summarize(byStack) },
    );
    return 0;
  } catch (error) {
    for (const line of errorLines(error, { debug: run.debug, debugFlag: DEBUG_FLAG })) run.stderr(line);
    return 1;
  }
}

/** The app as cdktf.json's command runs it: options from the environment (or `overrides`), the outcome as the exit code. */
export function main(env: NodeJS.ProcessEnv = process.env, overrides: Partial<AppRun> = {}): void {
  // cdktf records a stack trace for every token it creates, and source maps
  // (which tsx turns on, should the app run under it) make each one several
  // times dearer. Synth errors name their field and fix, so untranslated
  // traces are enough here.
  process.setSourceMapsEnabled(false);
  process.exitCode = runApp({
    // cdktf.json's app command runs with CDKTF_OUTDIR set; run by hand, it writes where cdktf would.
    outdir: env.CDKTF_OUTDIR ?? "cdktf.out",
    // `cdktf synth` passes the app no arguments, so the listing of every warning is asked for by environment.
    verbose: env.MINDMIRROR_VERBOSE === "1",
    debug: env.MINDMIRROR_DEBUG === "1",
    stderr: (line) => process.stderr.write(`${line}\n`),
    ...overrides,
  });
}

if (require.main === module) main();
