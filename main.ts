import * as path from "node:path";
import { ENVIRONMENTS } from "./environments";
import { App } from "./lib/cdk";
import { defineEnvironment, loadImages } from "./stacks";

const app = new App();
for (const environment of ENVIRONMENTS) {
  defineEnvironment(app, { environment, images: loadImages(environment, path.join(__dirname, "environments")) });
}
app.synth();
