import * as fs from "node:fs";
import * as path from "node:path";
import { ENVIRONMENTS } from "../environments";
import { readTfvars } from "../lib/tfvars";
import { ROOT, sharedSynth } from "./synth-main";

/** The parts of a synthesized stack the reference check reads. */
interface StackJson {
  resource?: Record<string, Record<string, { depends_on?: string[] } & Record<string, unknown>>>;
  data?: Record<string, Record<string, unknown>>;
  output?: Record<string, unknown>;
  variable?: Record<string, { validation?: { condition: string }[] }>;
  import?: { to: string }[];
}

/** Every `${…}` expression in the strings below `value`. */
function expressionsIn(value: unknown): string[] {
  if (typeof value === "string") return [...value.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]);
  if (Array.isArray(value)) return value.flatMap(expressionsIn);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(expressionsIn);
  return [];
}

/** Resource (`google_x.name`), data source (`data.github_x.name`) and variable (`var.name`) references in an expression. */
function referencesIn(expression: string): string[] {
  return [...expression.matchAll(/\b((?:data\.)?(?:google|github)_[a-z0-9_]+\.[A-Za-z0-9_-]+|var\.[A-Za-z0-9_-]+)/g)].map((m) => m[1]);
}

describe("main synth", () => {
  const outdir = sharedSynth();
  const stacksDir = path.join(outdir, "stacks");
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, { workingDirectory: string; synthesizedStackPath: string }>;
  };
  const read = (stack: string, file: string) => fs.readFileSync(path.join(stacksDir, stack, file), "utf8");

  it("writes a services and a gateway stack per environment", () => {
    for (const env of ENVIRONMENTS) {
      for (const kind of ["services", "gateway"]) {
        const stack = `${kind}-${env.name}`;
        expect(manifest.stacks[stack].synthesizedStackPath).toBe(`stacks/${stack}/cdk.tf.json`);
        expect(fs.existsSync(path.join(stacksDir, stack, "cdk.tf.json"))).toBe(true);
      }
    }
  });

  it("writes a foundation stack per environment and the github stack once", () => {
    const names = Object.keys(manifest.stacks).sort();
    expect(names).toEqual(
      [...ENVIRONMENTS.flatMap((env) => ["foundation", "services", "gateway"].map((kind) => `${kind}-${env.name}`)), "github"].sort(),
    );
  });

  it("never emits a local backend or a machine path", () => {
    for (const stack of Object.keys(manifest.stacks)) {
      const config = JSON.parse(read(stack, "cdk.tf.json")) as { terraform: { backend?: Record<string, unknown> } };
      expect([stack, Object.keys(config.terraform.backend ?? {})]).toEqual([stack, ["gcs"]]);
      expect(read(stack, "cdk.tf.json")).not.toContain(outdir);
      expect(read(stack, "cdk.tf.json")).not.toContain(ROOT);
    }
  });

  it("gives each environment stack its tfvars copy, and production stacks their backend file", () => {
    for (const env of ENVIRONMENTS) {
      for (const kind of ["services", "gateway"]) {
        const stack = `${kind}-${env.name}`;
        const files = fs.readdirSync(path.join(stacksDir, stack)).sort();
        const tfvars = readTfvars(read(stack, `${env.name}.auto.tfvars`), stack);
        const variables = Object.keys((JSON.parse(read(stack, "cdk.tf.json")) as { variable: object }).variable);
        expect([...tfvars.keys()].sort()).toEqual(variables.sort());
        if (env.backend.mode === "partial") {
          expect(files).toEqual(["cdk.tf.json", `${env.name}.auto.tfvars`, `${env.name}.backend.hcl`].sort());
          expect(read(stack, `${env.name}.backend.hcl`)).toMatch(
            new RegExp(`^bucket = "mindmirror-tofu-state"\\nprefix = "envs/${env.name}/${kind}"$`, "m"),
          );
        } else {
          expect(files).toEqual(["cdk.tf.json", `${env.name}.auto.tfvars`]);
        }
      }
    }
  });

  it("declares every variable with a type, a description and a validation", () => {
    let count = 0;
    for (const stack of Object.keys(manifest.stacks)) {
      const config = JSON.parse(read(stack, "cdk.tf.json")) as { variable?: Record<string, Record<string, unknown>> };
      for (const [name, variable] of Object.entries(config.variable ?? {})) {
        count++;
        expect([stack, name, typeof variable.type, typeof variable.description]).toEqual([stack, name, "string", "string"]);
        expect([stack, name, (variable.validation as unknown[] | undefined)?.length ?? 0]).toEqual([stack, name, 1]);
      }
    }
    expect(count).toBe(16);
  });

  it("refers only to resources and variables its own stack declares", () => {
    let checked = 0;
    for (const stack of Object.keys(manifest.stacks)) {
      const config = JSON.parse(read(stack, "cdk.tf.json")) as StackJson;
      const declared = new Set([
        ...Object.entries(config.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`)),
        ...Object.entries(config.data ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((name) => `data.${type}.${name}`)),
        ...Object.keys(config.variable ?? {}).map((name) => `var.${name}`),
      ]);
      const references = [
        ...expressionsIn(config.resource).flatMap(referencesIn),
        ...expressionsIn(config.output).flatMap(referencesIn),
        ...Object.values(config.variable ?? {}).flatMap((v) => (v.validation ?? []).flatMap((rule) => referencesIn(rule.condition))),
        ...Object.values(config.resource ?? {}).flatMap((byName) => Object.values(byName).flatMap((r) => r.depends_on ?? [])),
        ...(config.import ?? []).map((block) => block.to),
      ];
      for (const reference of references) {
        checked++;
        expect([stack, reference, declared.has(reference)]).toEqual([stack, reference, true]);
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("gives every stack a state prefix of its own", () => {
    const prefixes = Object.keys(manifest.stacks).map((stack) => {
      const config = JSON.parse(read(stack, "cdk.tf.json")) as { terraform: { backend: { gcs: { prefix?: string } } } };
      const hclFile = fs.readdirSync(path.join(stacksDir, stack)).find((f) => f.endsWith(".backend.hcl"));
      const hcl = hclFile ? read(stack, hclFile) : "";
      return config.terraform.backend.gcs.prefix ?? /^prefix = "(.*)"$/m.exec(hcl)?.[1];
    });
    expect(prefixes.every((p) => typeof p === "string" && p.length > 0)).toBe(true);
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });

  it("admits Peleke/MindMirror in the Workload Identity condition of each foundation, binding each account to repository and GitHub environment", () => {
    for (const env of ENVIRONMENTS) {
      const json = JSON.parse(read(`foundation-${env.name}`, "cdk.tf.json")) as StackJson;
      const provider = json.resource!.google_iam_workload_identity_pool_provider.github_oidc as { attribute_condition: string };
      expect(provider.attribute_condition).toMatch(/^assertion\.repository == "Peleke\/MindMirror"( |$)/);
      const bindings = Object.values(json.resource!.google_service_account_iam_member).filter((b) => b.role === "roles/iam.workloadIdentityUser");
      expect(bindings.length).toBeGreaterThan(0);
      for (const b of bindings) expect(String(b.member)).toMatch(/\/attribute\.repository_environment\/Peleke\/MindMirror:[a-z-]+$/);
    }
  });
});
