import * as path from "node:path";
import { SERVICES } from "./catalog";
import { ENVIRONMENT_FILE_PROBLEMS, ENVIRONMENT_SOURCES, ENVIRONMENTS } from "./environments";
import { GITHUB } from "./environments/github";
import { validateEnvironments } from "./environments/guards";
import { ConfigErrors } from "./lib/errors";
import { errorLines, synthAllOrNothing } from "./lib/synth";
import { applyPolicy, PolicyPack } from "./policy";
import { defineEnvironment, loadImages } from "./stacks";
import { GithubStack } from "./stacks/github-stack";

// cdktf records a stack trace for every token it creates, and tsx's source
// maps make each one several times dearer (a quarter of synth). Synth errors
// name their field and fix, so untranslated traces are enough here.
process.setSourceMapsEnabled(false);

const DEBUG_FLAG = "MINDMIRROR_DEBUG=1";
// `cdktf synth` passes the app no arguments, so the listing of every warning is asked for by environment.
const VERBOSE = process.env.MINDMIRROR_VERBOSE === "1";
const environmentsDir = path.join(__dirname, "environments");

try {
  if (ENVIRONMENT_FILE_PROBLEMS.length > 0) throw new ConfigErrors(ENVIRONMENT_FILE_PROBLEMS);
  // Everything about the environments is checked before any file named after one is read.
  validateEnvironments(ENVIRONMENTS, {
    catalog: SERVICES,
    sources: () => ENVIRONMENT_SOURCES,
    otherStates: [{ owner: "the github stack (environments/github.ts state.prefix)", ...GITHUB.state }],
  });
  const images = ENVIRONMENTS.map((environment) => loadImages(environment, environmentsDir));
  // cdktf.json's app command runs with CDKTF_OUTDIR set; run by hand, it writes where cdktf would.
  const pack = new PolicyPack();
  synthAllOrNothing(
    process.env.CDKTF_OUTDIR ?? "cdktf.out",
    (app) => {
      ENVIRONMENTS.forEach((environment, i) => defineEnvironment(app, { environment, images: images[i] }));
      new GithubStack(app, "github", { environments: ENVIRONMENTS });
      applyPolicy(app, pack);
    },
    // One line per rule and environment; annotations.json keeps every construct path either way.
    { annotations: VERBOSE ? undefined : (byStack) => pack.summarize(byStack) },
  );
} catch (error) {
  for (const line of errorLines(error, { debug: process.env.MINDMIRROR_DEBUG === "1", debugFlag: DEBUG_FLAG })) process.stderr.write(`${line}\n`);
  process.exitCode = 1;
}
