/**
 * The provider schema fixtures of the offline OpenTofu check.
 *
 * `tofu-check/schemas/<name>-<version>.json` is the `tofu providers schema
 * -json` document of one provider, cut down to the resource and data-source
 * types the stacks synthesize (plus the provider block). `npm run
 * schemas:refresh` writes them; the plugin serves them to the core.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export const SCHEMA_DIR = path.join(__dirname, "schemas");

/** One provider's part of a `providers schema -json` document. */
export interface ProviderSchema {
  readonly provider: { readonly version?: number; readonly block: unknown };
  readonly resource_schemas?: Record<string, unknown>;
  readonly data_source_schemas?: Record<string, unknown>;
}

/** The `tofu providers schema -json` document. */
export interface SchemaDocument {
  readonly format_version: string;
  readonly provider_schemas: Record<string, ProviderSchema>;
}

/** A fixture file: which provider, which version, where. */
export interface SchemaFixture {
  /** e.g. `registry.terraform.io/hashicorp/google` */
  readonly address: string;
  /** e.g. `hashicorp/google` */
  readonly sourcePath: string;
  /** the provider's type, e.g. `google` */
  readonly type: string;
  readonly version: string;
  readonly file: string;
  readonly schema: ProviderSchema;
}

/** A bad fixture or stack folder, reported as one line. */
export class TofuCheckError extends Error {
  override readonly name = "TofuCheckError";
}

/** Reads one document, failing in one line when it is not one. */
export function readSchemaDocument(file: string): SchemaDocument {
  let document: SchemaDocument;
  try {
    document = JSON.parse(fs.readFileSync(file, "utf8")) as SchemaDocument;
  } catch (error) {
    throw new TofuCheckError(`schema fixture ${file} cannot be parsed: ${(error as Error).message}; run npm run schemas:refresh`);
  }
  if (typeof document?.provider_schemas !== "object" || document.provider_schemas === null) {
    throw new TofuCheckError(`schema fixture ${file} has no provider_schemas; it must be \`tofu providers schema -json\` output`);
  }
  return document;
}

const FIXTURE_NAME = /^([a-z0-9-]+)-(\d+\.\d+\.\d+)\.json$/;

/** Every fixture in `dir`, one per provider. */
export function loadFixtures(dir: string = SCHEMA_DIR): SchemaFixture[] {
  if (!fs.existsSync(dir)) throw new TofuCheckError(`schema folder ${dir} does not exist; run npm run schemas:refresh`);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((name) => {
      const file = path.join(dir, name);
      const match = FIXTURE_NAME.exec(name);
      if (match === null) throw new TofuCheckError(`schema fixture ${file}: the name must be <provider>-<x.y.z>.json`);
      const document = readSchemaDocument(file);
      const addresses = Object.keys(document.provider_schemas);
      if (addresses.length !== 1) {
        throw new TofuCheckError(`schema fixture ${file} holds ${addresses.length} providers; keep one provider per file`);
      }
      const address = addresses[0];
      const [, namespace, type] = address.split("/");
      if (type !== match[1]) throw new TofuCheckError(`schema fixture ${file} holds ${address}, not provider ${match[1]}`);
      return { address, sourcePath: `${namespace}/${type}`, type, version: match[2], file, schema: document.provider_schemas[address] };
    });
}

/** A stack's synthesized Terraform JSON, the parts read here. */
interface StackJson {
  readonly terraform?: { readonly required_providers?: Record<string, { readonly source?: string; readonly version?: string }> };
  readonly resource?: Record<string, unknown>;
  readonly data?: Record<string, unknown>;
}

/** What a stack needs of one provider. */
export interface ProviderUse {
  /** `registry.terraform.io/<namespace>/<type>` */
  readonly address: string;
  readonly version: string | undefined;
  readonly resources: string[];
  readonly dataSources: string[];
}

/** `google` → `registry.terraform.io/hashicorp/google`; `integrations/github` → `registry.terraform.io/integrations/github`. */
export function providerAddress(source: string): string {
  const parts = source.split("/");
  if (parts.length === 1) return `registry.terraform.io/hashicorp/${parts[0]}`;
  if (parts.length === 2) return `registry.terraform.io/${source}`;
  return source.replace(/^registry\.opentofu\.org\//, "registry.terraform.io/");
}

/** The providers a stack declares, with the resource and data-source types it uses of each. */
export function providerUses(stack: StackJson): ProviderUse[] {
  const required = stack.terraform?.required_providers ?? {};
  const uses = new Map<string, { address: string; version: string | undefined; resources: Set<string>; dataSources: Set<string> }>();
  for (const [local, { source, version }] of Object.entries(required)) {
    uses.set(local, { address: providerAddress(source ?? local), version, resources: new Set(), dataSources: new Set() });
  }
  const owner = (type: string) => {
    const local = type.split("_")[0];
    const use = uses.get(local);
    if (use === undefined) throw new TofuCheckError(`type ${type} belongs to provider "${local}", which the stack does not require`);
    return use;
  };
  for (const type of Object.keys(stack.resource ?? {})) owner(type).resources.add(type);
  for (const type of Object.keys(stack.data ?? {})) if (type !== "terraform_remote_state") owner(type).dataSources.add(type);
  return [...uses.values()].map((u) => ({ ...u, resources: [...u.resources].sort(), dataSources: [...u.dataSources].sort() }));
}

/** Every `cdk.tf.json` under `stacksDir`, by stack name. */
export function readStacks(stacksDir: string): Map<string, StackJson> {
  if (!fs.existsSync(stacksDir)) throw new TofuCheckError(`stack folder ${stacksDir} does not exist; run npx cdktf synth first`);
  const stacks = new Map<string, StackJson>();
  for (const name of fs.readdirSync(stacksDir).sort()) {
    const file = path.join(stacksDir, name, "cdk.tf.json");
    if (!fs.existsSync(file)) throw new TofuCheckError(`stack folder ${path.join(stacksDir, name)} has no cdk.tf.json; run npx cdktf synth`);
    stacks.set(name, JSON.parse(fs.readFileSync(file, "utf8")) as StackJson);
  }
  return stacks;
}

/**
 * The types the stacks use that a fixture lacks, and providers without one,
 * one line each, naming the stack.
 */
export function missingFromFixtures(stacks: Map<string, StackJson>, fixtures: SchemaFixture[]): string[] {
  const problems: string[] = [];
  for (const [name, stack] of stacks) {
    for (const use of providerUses(stack)) {
      const fixture = fixtures.find((f) => f.address === use.address);
      if (fixture === undefined) {
        problems.push(`${name}: provider ${use.address} has no schema fixture in tofu-check/schemas/; run npm run schemas:refresh`);
        continue;
      }
      if (use.version !== undefined && use.version !== fixture.version) {
        problems.push(`${name}: requires ${use.address} ${use.version}, the fixture is ${fixture.version}; run npm run schemas:refresh`);
      }
      for (const type of use.resources) {
        if (!fixture.schema.resource_schemas?.[type]) problems.push(`${name}: resource type ${type} is missing from ${path.basename(fixture.file)}; run npm run schemas:refresh`);
      }
      for (const type of use.dataSources) {
        if (!fixture.schema.data_source_schemas?.[type]) problems.push(`${name}: data source ${type} is missing from ${path.basename(fixture.file)}; run npm run schemas:refresh`);
      }
    }
  }
  return problems;
}

/** The document cut down to the provider block and the types in `uses`, per provider. */
export function trimSchemas(full: SchemaDocument, uses: ProviderUse[]): Map<string, SchemaDocument> {
  const out = new Map<string, SchemaDocument>();
  for (const address of new Set(uses.map((u) => u.address))) {
    const source = full.provider_schemas[address] ?? full.provider_schemas[address.replace("registry.terraform.io/", "registry.opentofu.org/")];
    if (source === undefined) throw new TofuCheckError(`the schema document has no provider ${address}`);
    const pick = (table: Record<string, unknown> | undefined, types: string[], kind: string) =>
      Object.fromEntries(
        types.sort().map((t) => {
          if (!table?.[t]) throw new TofuCheckError(`the schema document of ${address} has no ${kind} ${t}`);
          return [t, table[t]];
        }),
      );
    const mine = uses.filter((u) => u.address === address);
    const resources = [...new Set(mine.flatMap((u) => u.resources))];
    const dataSources = [...new Set(mine.flatMap((u) => u.dataSources))];
    out.set(address, {
      format_version: full.format_version,
      provider_schemas: {
        [address]: {
          provider: source.provider,
          resource_schemas: pick(source.resource_schemas, resources, "resource"),
          data_source_schemas: pick(source.data_source_schemas, dataSources, "data source"),
        },
      },
    });
  }
  return out;
}
