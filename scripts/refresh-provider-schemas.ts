/**
 * Rewrites tofu-check/schemas/ from real provider schemas, cut down to the
 * types the synthesized stacks use.
 *
 *   npx cdktf synth && npm run schemas:refresh                 # runs tofu (needs the registry)
 *   npm run schemas:refresh -- --from google.json --from github.json   # from saved dumps
 *
 * Without --from it writes a folder that requires every provider the stacks
 * pin, runs `tofu init -backend=false` and `tofu providers schema -json`
 * there, and trims that.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { providerUses, readSchemaDocument, readStacks, SCHEMA_DIR, trimSchemas, TofuCheckError, type SchemaDocument } from "../tofu-check/schemas";

function fromTofu(required: Record<string, { source: string; version: string }>): SchemaDocument {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "schemas-refresh-"));
  try {
    fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify({ terraform: { required_providers: required } }));
    const binary = process.env.TOFU_BINARY ?? "tofu";
    execFileSync(binary, ["init", "-backend=false", "-input=false", "-no-color"], { cwd: dir, stdio: "inherit", timeout: 300_000 });
    const out = execFileSync(binary, ["providers", "schema", "-json"], { cwd: dir, maxBuffer: 1 << 30, timeout: 120_000 });
    return JSON.parse(out.toString()) as SchemaDocument;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  const { values } = parseArgs({
    options: { stacks: { type: "string", default: "cdktf.out/stacks" }, from: { type: "string", multiple: true } },
  });
  const stacks = readStacks(values.stacks!);
  const uses = [...stacks.values()].flatMap(providerUses);
  const required: Record<string, { source: string; version: string }> = {};
  for (const stack of stacks.values()) {
    for (const [local, spec] of Object.entries(stack.terraform?.required_providers ?? {})) {
      if (!spec.version || !/^\d+\.\d+\.\d+$/.test(spec.version)) {
        throw new TofuCheckError(`provider ${local} is pinned as ${JSON.stringify(spec.version)}; pin an exact x.y.z version`);
      }
      required[local] = { source: spec.source ?? local, version: spec.version };
    }
  }
  const full: SchemaDocument = values.from?.length
    ? values.from.map(readSchemaDocument).reduce((a, b) => ({ format_version: b.format_version, provider_schemas: { ...a.provider_schemas, ...b.provider_schemas } }))
    : fromTofu(required);
  fs.mkdirSync(SCHEMA_DIR, { recursive: true });
  for (const f of fs.readdirSync(SCHEMA_DIR)) if (f.endsWith(".json")) fs.rmSync(path.join(SCHEMA_DIR, f));
  for (const [address, document] of trimSchemas(full, uses)) {
    const type = address.split("/")[2];
    const version = Object.values(required).find((r) => r.source.split("/").pop() === type)!.version;
    const file = path.join(SCHEMA_DIR, `${type}-${version}.json`);
    fs.writeFileSync(file, JSON.stringify(document, null, 1) + "\n");
    const schema = document.provider_schemas[address];
    console.log(
      `${path.relative(process.cwd(), file)}: ${Object.keys(schema.resource_schemas ?? {}).length} resource types, ${Object.keys(schema.data_source_schemas ?? {}).length} data sources`,
    );
  }
}

try {
  main();
} catch (error) {
  console.error(error instanceof TofuCheckError ? error.message : (error as Error).stack);
  process.exit(error instanceof TofuCheckError ? 2 : 1);
}
