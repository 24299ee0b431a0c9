#!/usr/bin/env node
// Smoke check of a `cdktf synth` output folder: every stack in the manifest
// has its cdk.tf.json, a gcs backend, and (for a partial backend) the .hcl
// file that completes it. Exits non-zero with one line per problem.
import * as fs from "node:fs";
import * as path from "node:path";

const outdir = process.argv[2] ?? "cdktf.out";
const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
const problems = [];
for (const [name, stack] of Object.entries(manifest.stacks)) {
  const dir = path.join(outdir, stack.workingDirectory);
  const config = JSON.parse(fs.readFileSync(path.join(outdir, stack.synthesizedStackPath), "utf8"));
  const backend = config.terraform?.backend ?? {};
  if (Object.keys(backend).join() !== "gcs") problems.push(`${name}: backend is ${JSON.stringify(backend)}, expected gcs`);
  const partial = backend.gcs && Object.keys(backend.gcs).length === 0;
  const hcl = fs.readdirSync(dir).filter((f) => f.endsWith(".backend.hcl"));
  if (partial && hcl.length !== 1) problems.push(`${name}: partial gcs backend without its .backend.hcl file`);
  if (config.variable && !fs.readdirSync(dir).some((f) => f.endsWith(".auto.tfvars"))) {
    problems.push(`${name}: declares variables but has no .auto.tfvars file`);
  }
}
if (problems.length > 0) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(`synth ok: ${Object.keys(manifest.stacks).sort().join(", ")}`);
