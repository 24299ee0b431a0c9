import * as fs from "node:fs";
import * as path from "node:path";
import { SERVICES } from "../catalog";
import { ENVIRONMENTS, production, staging } from "../environments";
import { Testing } from "../lib/cdk";
import { imagePattern, isValidImage } from "../lib/images";
import { imageVariableName } from "../lib/naming";
import { readTfvars } from "../lib/tfvars";
import { defineEnvironment, loadImages } from "../stacks";
import { buildStacks, imagesFor, synth } from "./helpers";

const ENV_DIR = path.join(__dirname, "..", "environments");
const DIGEST = "a".repeat(64);

/** The regular expression inside an emitted `${can(regex("…", var.x))}`, read back as OpenTofu would. */
function emittedRegex(condition: string, variable: string): RegExp {
  const match = /^\$\{can\(regex\("((?:[^"\\]|\\.)*)", var\.([a-z_]+)\)\)\}$/.exec(condition);
  expect(match).not.toBeNull();
  expect(match![2]).toBe(variable);
  return new RegExp(JSON.parse(`"${match![1]}"`) as string);
}

describe("image variables", () => {
  const samples = (project: string, image: string) => [
    [`us-east4-docker.pkg.dev/${project}/mindmirror/${image}:v9.9.9-1234abc`, true],
    [`us-east4-docker.pkg.dev/${project}/mindmirror/${image}@sha256:${DIGEST}`, true],
    [`us-east4-docker.pkg.dev/${project}/mindmirror/${image}`, false],
    [`us-east4-docker.pkg.dev/${project}/mindmirror/${image}:latest`, false],
    [`us-east4-docker.pkg.dev/${project}/mindmirror/${image}:1.0.0-252ad69`, false],
    [`us-east4-docker.pkg.dev/${project}/mindmirror/${image}:v`, true],
    [`us-east4-docker.pkg.dev/${project}/mindmirror/${image}:`, false],
    [`us-east4-docker.pkg.dev/${project}/mindmirror/${image}@sha256:${DIGEST.slice(1)}`, false],
    [`us-east4-docker.pkg.dev/${project}/mindmirror/${image}:v1 extra`, false],
    [`us-east4-docker.pkg.dev/${project}/mindmirror/other_image:v1`, false],
    [`us-east4-docker.pkg.dev/${project}/other-repo/${image}:v1`, false],
    [`us-central1-docker.pkg.dev/${project}/mindmirror/${image}:v1`, false],
    [`us-east4-docker.pkg.dev/${project === "mindmirror-69" ? "mindmirror-prod" : "mindmirror-69"}/mindmirror/${image}:v1`, false],
    [`us-east4-dockerXpkg.dev/${project}/mindmirror/${image}:v1`, false],
    [`docker.io/library/${image}:v1`, false],
    ["", false],
  ] as const;

  describe.each(ENVIRONMENTS.map((env) => [env.name, env] as const))("%s", (_name, env) => {
    const stacks = buildStacks(env);
    for (const stack of [stacks.services, stacks.gateway]) {
      const { json } = synth(stack);
      for (const def of SERVICES.filter((s) => stack.services.has(s.name))) {
        const variable = imageVariableName(def.name);
        it(`declares ${variable} in ${stack.node.id} with type, description and a validation OpenTofu and synth agree on`, () => {
          const declared = json.variable![variable];
          expect(declared).toMatchObject({ type: "string", nullable: false });
          expect(declared.description).toContain(`${def.image}:<tag>`);
          expect(declared.validation).toHaveLength(1);
          const regex = emittedRegex(declared.validation[0].condition, variable);
          expect(regex.source).toBe(new RegExp(imagePattern(env, def.image)).source);
          for (const [value, ok] of samples(env.project.id, def.image)) {
            expect([value, regex.test(value)]).toEqual([value, ok]);
            expect([value, isValidImage(env, def.image, value)]).toEqual([value, ok]);
          }
          expect(declared.validation[0].error_message).toMatch(new RegExp(`^${variable} must be an image of this environment's registry`));
        });
      }
    }
  });

  it("uses the variable as the container image", () => {
    const { json } = synth(buildStacks(staging).services);
    expect(json.resource.google_cloud_run_v2_service.agent_service.template.containers[0].image).toBe("${var.agent_service_image}");
  });

  it("fails if an image value is missing, saying where to set it", () => {
    const images = imagesFor(staging);
    images.delete("meals_service_image");
    expect(() => buildStacks(staging, images)).toThrow(
      /staging image variable meals_service_image: null is not valid; it is missing; set it in environments\/staging\.auto\.tfvars/,
    );
  });

  it("fails if an image comes from another project's registry", () => {
    const images = imagesFor(production);
    images.set("gateway_image", "us-east4-docker.pkg.dev/mindmirror-69/mindmirror/mesh:v9.9.9-1234abc");
    expect(() => buildStacks(production, images)).toThrow(
      /production image variable gateway_image: "us-east4-docker\.pkg\.dev\/mindmirror-69\/mindmirror\/mesh:v9\.9\.9-1234abc" is not valid; use us-east4-docker\.pkg\.dev\/mindmirror-prod\/mindmirror\/mesh:<tag>/,
    );
  });

  it("fails if an image has the tag latest, saying why and what to use", () => {
    const images = imagesFor(staging);
    images.set("journal_service_image", "us-east4-docker.pkg.dev/mindmirror-69/mindmirror/journal_service:latest");
    expect(() => buildStacks(staging, images)).toThrow(
      /^staging image variable journal_service_image: ".*journal_service:latest" is not valid; the tag latest does not say which build runs, and the registry's cleanup does not keep it; use the release tag the pipeline pushed \(us-east4-docker\.pkg\.dev\/mindmirror-69\/mindmirror\/journal_service:v<VERSION>-<sha>\) or a digest$/,
    );
  });

  it("fails if a tag is not a release tag, which cleanup would not keep", () => {
    const images = imagesFor(production, "2.0.0");
    expect(() => buildStacks(production, images)).toThrow(/:2\.0\.0" is not valid; use .*:<tag> or .*@sha256:<64 hex digits>, where <tag> is a release tag starting with "v"/);
  });

  it("fails if the tfvars file sets a variable no stack declares", () => {
    const images = imagesFor(staging);
    images.set("agent_servce_image", "x");
    expect(() => defineEnvironment(Testing.app(), { environment: staging, images })).toThrow(
      /environments\/staging\.auto\.tfvars: "agent_servce_image" is not valid; no stack declares this variable; use one of agent_service_image, gateway_image/,
    );
  });
});

describe("committed tfvars files", () => {
  // The pipeline rewrites these values on every deploy: read them, never pin them.
  it.each(ENVIRONMENTS.map((env) => [env.name, env] as const))("%s holds a valid image of its own registry for every deployable", (_name, env) => {
    const values = loadImages(env, ENV_DIR);
    expect([...values.keys()].sort()).toEqual(SERVICES.map((s) => imageVariableName(s.name)).sort());
    for (const def of SERVICES) {
      const value = values.get(imageVariableName(def.name))!;
      expect([def.name, isValidImage(env, def.image, value)]).toEqual([def.name, true]);
      expect(value.startsWith(`us-east4-docker.pkg.dev/${env.project.id}/mindmirror/${def.image}`)).toBe(true);
    }
  });

  it("is copied into each stack folder with exactly the values that stack declares", () => {
    for (const env of ENVIRONMENTS) {
      const stacks = defineEnvironment(Testing.app(), { environment: env, images: loadImages(env, ENV_DIR) });
      const source = loadImages(env, ENV_DIR);
      for (const stack of [stacks.services, stacks.gateway]) {
        const dir = path.join(Testing.fullSynth(stack), "stacks", stack.node.id);
        const declared = Object.keys((JSON.parse(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8")) as { variable: object }).variable);
        const copied = readTfvars(fs.readFileSync(path.join(dir, `${env.name}.auto.tfvars`), "utf8"), "copy");
        expect([...copied.keys()].sort()).toEqual(declared.sort());
        for (const [key, value] of copied) expect(value).toBe(source.get(key));
      }
    }
  });
});
