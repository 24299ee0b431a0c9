/**
 * The image values in environments/*.auto.tfvars change with every deploy
 * (set-image in phases 1 and 3, rollback). No test may depend on them: a
 * pipeline commit must never turn `npm test` red.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { SERVICES } from "../catalog";
import { ENVIRONMENTS } from "../environments";
import { Testing } from "../lib/cdk";
import { isValidImage } from "../lib/images";
import { imageVariableName, tfvarsFile } from "../lib/naming";
import { readTfvars } from "../lib/tfvars";
import { setImageInFile } from "../ops/set-image";
import { defineEnvironment, loadImages } from "../stacks";
import { tempDir } from "./ops/run";

const ROOT = path.join(__dirname, "..");
const ENV_DIR = path.join(ROOT, "environments");

/** The tag (`v1.0.0-<sha>`) or digest of an image reference. */
function versionOf(value: string): string {
  const at = value.indexOf("@");
  return at >= 0 ? value.slice(at + 1) : value.slice(value.lastIndexOf(":") + 1);
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe("deploy data in tests", () => {
  it("no test or snapshot names a tag or digest the committed tfvars files deploy", () => {
    const deployed = new Set(ENVIRONMENTS.flatMap((env) => [...loadImages(env, ENV_DIR).values()].map(versionOf)));
    expect(deployed.size).toBeGreaterThan(0);
    const sources = filesUnder(__dirname).filter((f) => /\.(ts|snap)$/.test(f));
    expect(sources.length).toBeGreaterThan(20);
    for (const file of sources) {
      const text = fs.readFileSync(file, "utf8");
      for (const version of deployed) expect([path.relative(ROOT, file), version, text.includes(version)]).toEqual([path.relative(ROOT, file), version, false]);
    }
  });

  it("after the pipeline rewrites every image with set-image, the files still load, validate and reach their stacks", () => {
    const tmp = tempDir("deploy-data");
    try {
      for (const env of ENVIRONMENTS) fs.copyFileSync(path.join(ENV_DIR, tfvarsFile(env)), path.join(tmp.dir, tfvarsFile(env)));
      for (const env of ENVIRONMENTS) {
        for (const service of SERVICES) {
          const change = setImageInFile({ env: env.name, service: service.name, tag: "v9.8.7-fedcba9", dir: tmp.dir });
          expect(change.to.endsWith(`/${service.image}:v9.8.7-fedcba9`)).toBe(true);
        }
      }
      for (const env of ENVIRONMENTS) {
        const images = loadImages(env, tmp.dir);
        for (const service of SERVICES) expect(isValidImage(env, service.image, images.get(imageVariableName(service.name))!)).toBe(true);
        const stacks = defineEnvironment(Testing.app(), { environment: env, images });
        for (const stack of [stacks.services, stacks.gateway]) {
          const dir = path.join(Testing.fullSynth(stack), "stacks", stack.node.id);
          const copied = readTfvars(fs.readFileSync(path.join(dir, `${env.name}.auto.tfvars`), "utf8"), "copy");
          expect(copied.size).toBeGreaterThan(0);
          for (const value of copied.values()) expect(versionOf(value)).toBe("v9.8.7-fedcba9");
        }
      }
    } finally {
      tmp.remove();
    }
  });
});
