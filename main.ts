import * as path from "node:path";
import { ENVIRONMENTS } from "./environments";
import { App } from "./lib/cdk";
import { applyPolicy } from "./policy";
import { defineEnvironment, loadImages } from "./stacks";
import { GithubStack } from "./stacks/github-stack";

const app = new App();
for (const environment of ENVIRONMENTS) {
  defineEnvironment(app, { environment, images: loadImages(environment, path.join(__dirname, "environments")) });
}
new GithubStack(app, "github", { environments: ENVIRONMENTS });
applyPolicy(app);
app.synth();
