import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadFixtures, missingFromFixtures, providerUses, readStacks, trimSchemas } from "../../tofu-check/schemas";
import { sharedSynth } from "../synth-main";

describe("provider schema fixtures", () => {
  const fixtures = loadFixtures();

  it("hold one provider each, at the versions the stacks pin", () => {
    expect(fixtures.map((f) => [f.address, f.version])).toEqual([
      ["registry.terraform.io/integrations/github", "6.9.0"],
      ["registry.terraform.io/hashicorp/google", "6.50.0"],
    ]);
  });

  it("cover every resource and data-source type the app synthesizes", () => {
    const stacks = readStacks(path.join(sharedSynth(), "stacks"));
    expect(stacks.size).toBe(7);
    expect(missingFromFixtures(stacks, fixtures)).toEqual([]);
    // ...and nothing else: a type no stack uses is dead weight in the fixture.
    const used = new Set([...stacks.values()].flatMap(providerUses).flatMap((u) => [...u.resources, ...u.dataSources]));
    const held = fixtures.flatMap((f) => [...Object.keys(f.schema.resource_schemas ?? {}), ...Object.keys(f.schema.data_source_schemas ?? {})]);
    expect(held.filter((t) => !used.has(t))).toEqual([]);
  });

  it("fails, naming stack, type and fix, when a stack uses a type the fixture lacks", () => {
    const stacks = new Map([
      [
        "services-x",
        {
          terraform: { required_providers: { google: { source: "google", version: "6.50.0" } } },
          resource: { google_cloud_run_v2_job: { j: {} }, google_cloud_run_v2_service: { s: {} } },
          data: { google_project: { p: {} } },
        },
      ],
    ]);
    expect(missingFromFixtures(stacks, fixtures)).toEqual([
      "services-x: resource type google_cloud_run_v2_job is missing from google-6.50.0.json; run npm run schemas:refresh",
      "services-x: data source google_project is missing from google-6.50.0.json; run npm run schemas:refresh",
    ]);
  });

  it("fails when a stack pins another provider version than the fixture's, or a provider without one", () => {
    const stacks = new Map([
      [
        "s",
        {
          terraform: { required_providers: { google: { source: "google", version: "6.51.0" }, aws: { source: "hashicorp/aws", version: "5.0.0" } } },
        },
      ],
    ]);
    expect(missingFromFixtures(stacks, fixtures)).toEqual([
      "s: requires registry.terraform.io/hashicorp/google 6.51.0, the fixture is 6.50.0; run npm run schemas:refresh",
      "s: provider registry.terraform.io/hashicorp/aws has no schema fixture in tofu-check/schemas/; run npm run schemas:refresh",
    ]);
  });

  it("trim a full schema document to the provider block and the types used", () => {
    const google = fixtures.find((f) => f.type === "google")!;
    const full = { format_version: "1.0", provider_schemas: { [google.address]: google.schema } };
    const trimmed = trimSchemas(full, [{ address: google.address, version: "6.50.0", resources: ["google_service_account"], dataSources: [] }]);
    const schema = trimmed.get(google.address)!.provider_schemas[google.address];
    expect(Object.keys(schema.resource_schemas!)).toEqual(["google_service_account"]);
    expect(schema.provider).toBe(google.schema.provider);
    expect(() => trimSchemas(full, [{ address: google.address, version: "6.50.0", resources: ["google_nope"], dataSources: [] }])).toThrow(
      "the schema document of registry.terraform.io/hashicorp/google has no resource google_nope",
    );
  });

  it("fail in one line when a fixture does not parse or is misnamed", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tofu-check-fixtures-"));
    try {
      fs.writeFileSync(path.join(dir, "google-6.50.0.json"), "{ not json");
      expect(() => loadFixtures(dir)).toThrow(new RegExp(`^schema fixture ${dir}/google-6\\.50\\.0\\.json cannot be parsed: .*; run npm run schemas:refresh$`));
      fs.writeFileSync(path.join(dir, "google-6.50.0.json"), JSON.stringify({ format_version: "1.0" }));
      expect(() => loadFixtures(dir)).toThrow(/has no provider_schemas; it must be `tofu providers schema -json` output$/);
      fs.rmSync(path.join(dir, "google-6.50.0.json"));
      fs.writeFileSync(path.join(dir, "google.json"), "{}");
      expect(() => loadFixtures(dir)).toThrow(/google\.json: the name must be <provider>-<x\.y\.z>\.json$/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
