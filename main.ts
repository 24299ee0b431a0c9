import * as path from "node:path";
import { ENVIRONMENTS } from "./environments";
import { App } from "./lib/cdk";
import { applyPolicy } from "./policy";
import { defineEnvironment, loadImages } from "./stacks";
import { GithubStack } from "./stacks/github-stack";

// cdktf records a stack trace for every token it creates, and tsx's source
// maps make each one several times dearer (a quarter of synth). Synth errors
// name their field and fix, so untranslated traces are enough here.
process.setSourceMapsEnabled(false);

const app = new App();
for (const environment of ENVIRONMENTS) {
  defineEnvironment(app, { environment, images: loadImages(environment, path.join(__dirname, "environments")) });
}
new GithubStack(app, "github", { environments: ENVIRONMENTS });
applyPolicy(app);
app.synth();
