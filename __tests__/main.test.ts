import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ENVIRONMENTS } from "../environments";
import { readTfvars } from "../lib/tfvars";

const ROOT = path.join(__dirname, "..");

/**
 * Runs the real app, as `cdktf synth` does (cdktf.json's app command), into a
 * temp folder, with only node on the PATH: the pipeline has `tofu`, not
 * `terraform`, so synth must not need any Terraform binary.
 */
function synthMain(): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "mindmirror-synth-"));
  const app = (JSON.parse(fs.readFileSync(path.join(ROOT, "cdktf.json"), "utf8")) as { app: string }).app.split(" ");
  const command = app[0] === "node" ? process.execPath : app[0];
  const env = { ...process.env, CDKTF_OUTDIR: outdir, PATH: path.dirname(process.execPath) };
  execFileSync(command, app.slice(1), { cwd: ROOT, env, stdio: "pipe" });
  return outdir;
}

describe("main synth", () => {
  const outdir = synthMain();
  const stacksDir = path.join(outdir, "stacks");
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, { workingDirectory: string; synthesizedStackPath: string }>;
  };
  const read = (stack: string, file: string) => fs.readFileSync(path.join(stacksDir, stack, file), "utf8");
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

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
});
