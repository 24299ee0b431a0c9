import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkStacks, findBinary, type StackReport } from "../../tofu-check/harness";
import { sharedSynth } from "../synth-main";

/**
 * The real Terraform-language core (tofu, else terraform) on the real
 * synthesized stacks, through our offline plugin serving the real schemas.
 */
const binary = findBinary();

interface StackJson {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  import?: { to: string }[];
  output?: Record<string, { value: string }>;
  variable?: Record<string, { validation: { error_message: string }[] }>;
}

const MISSING = "no tofu or terraform on PATH; install OpenTofu (https://opentofu.org/docs/intro/install/)";

if (binary === undefined && process.env.TOFU_CHECK_REQUIRED === "1") {
  it("runs the OpenTofu check, which CI requires (TOFU_CHECK_REQUIRED=1)", () => {
    throw new Error(`the OpenTofu check cannot run: ${MISSING}`);
  });
} else if (binary === undefined) {
  // The title is the visible line: the summary reporter lists every "… skipped: <why>" test.
  it(`OpenTofu check skipped: ${MISSING}`, () => {
    expect(findBinary()).toBeUndefined();
  });
} else {
  describe(`offline OpenTofu check (${binary.name} ${binary.version})`, () => {
    const outdir = sharedSynth();
    const stacksDir = path.join(outdir, "stacks");
    const readStack = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8")) as StackJson;

    // The app's stacks and the broken copies below go through one check: one pair of plugin servers, both cores busy to the end.
    const BROKEN = "broken-";
    const cases: Record<string, (json: StackJson, dir: string) => void> = {};
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "tofu-check-cases-"));
    afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
    let checked: Promise<StackReport[]> | undefined;
    const checkAll = () =>
      (checked ??= (async () => {
        for (const name of fs.readdirSync(stacksDir)) fs.cpSync(path.join(stacksDir, name), path.join(work, name), { recursive: true });
        for (const [name, mutate] of Object.entries(cases)) {
          const dir = path.join(work, `${BROKEN}${name}`);
          fs.cpSync(path.join(stacksDir, "gateway-staging"), dir, { recursive: true });
          const json = readStack(dir);
          mutate(json, dir);
          fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(json, null, 2));
        }
        return checkStacks({ stacksDir: work, binary });
      })());

    describe("the app's stacks", () => {
      let reports: StackReport[];
      beforeAll(async () => {
        reports = (await checkAll()).filter((r) => !r.stack.startsWith(BROKEN));
      }, 180_000);

      it("checks all 7 stacks, and each passes init, validate and plan", () => {
        expect(reports.map((r) => r.stack)).toEqual(fs.readdirSync(stacksDir).sort());
        expect(reports).toHaveLength(7);
        for (const r of reports) expect({ stack: r.stack, ok: r.ok, failed: r.failed, errors: r.diagnostics }).toEqual({ stack: r.stack, ok: true, failed: undefined, errors: [] });
      });

      it("plans one import per import block, a create for every other resource, and no destroy", () => {
        for (const r of reports) {
          const json = readStack(path.join(stacksDir, r.stack));
          const resources = Object.values(json.resource).reduce((n, byName) => n + Object.keys(byName).length, 0);
          const imports = json.import?.length ?? 0;
          expect({ stack: r.stack, import: r.plan?.import, add: r.plan?.add, remove: r.plan?.remove }).toEqual({
            stack: r.stack,
            import: imports,
            add: resources - imports,
            remove: 0,
          });
          // An imported resource may update in place (values only known after apply), nothing else does.
          expect(r.plan!.change).toBeLessThanOrEqual(imports);
        }
      });

      it("imports today's services and URL secret in the services stacks", () => {
        for (const r of reports.filter((x) => x.stack.startsWith("services-"))) expect(r.plan?.import).toBeGreaterThanOrEqual(8);
      });
    });

    describe("errors the core finds through the plugin", () => {
      const service = (json: StackJson) => Object.values(json.resource.google_cloud_run_v2_service)[0];
      const serviceName = (json: StackJson) => Object.keys(json.resource.google_cloud_run_v2_service)[0];
      cases["unknown-argument"] = (json) => (service(json).colour = "blue");
      cases["wrong-type"] = (json) => (service(json).ingress = ["INGRESS_TRAFFIC_ALL"]);
      cases["missing-required"] = (json) => delete service(json).location;
      cases["block-count"] = (json) => (service(json).template = [service(json).template, service(json).template]);
      cases["undeclared-resource"] = (json) => (json.output = { probe: { value: "${google_cloud_run_v2_service.nope.uri}" } });
      cases["undeclared-attribute"] = (json) => (json.output = { probe: { value: `\${google_cloud_run_v2_service.${serviceName(json)}.colour}` } });
      cases["unserved-provider"] = (json) => {
        (json as unknown as { terraform: { required_providers: Record<string, unknown> } }).terraform.required_providers.aws = { source: "hashicorp/aws", version: "5.0.0" };
      };
      cases["bad-image"] = (_json, dir) => fs.writeFileSync(path.join(dir, "staging.auto.tfvars"), 'gateway_image = "docker.io/library/mesh:1"\n');

      const source = path.join(stacksDir, "gateway-staging");
      let byCase: Map<string, StackReport>;
      beforeAll(async () => {
        const reports = (await checkAll()).filter((r) => r.stack.startsWith(BROKEN));
        expect(reports.map((r) => r.stack.slice(BROKEN.length)).sort()).toEqual(Object.keys(cases).sort());
        byCase = new Map(reports.map((r) => [r.stack.slice(BROKEN.length), r]));
      }, 180_000);

      const failure = (name: string) => {
        const r = byCase.get(name)!;
        return { ok: r.ok, failed: r.failed, errors: r.diagnostics.filter((d) => d.startsWith("error")) };
      };
      const at = String.raw` \(cdk\.tf\.json:\d+\)$`;

      it.each([
        ["an unknown argument", "unknown-argument", `error: Extraneous JSON object property: No argument or block type is named "colour".${at}`],
        ["a wrong attribute type", "wrong-type", `error: Incorrect attribute value type: .*string required.*${at}`],
        ["a missing required argument", "missing-required", `error: Missing required argument: The argument "location" is required, but no definition was found.${at}`],
        ["a bad block count", "block-count", `error: Too many template blocks: .*${at}`],
        ["a reference to an undeclared resource", "undeclared-resource", `error: Reference to undeclared resource: .*"nope".*${at}`],
        ["a reference to an undeclared attribute", "undeclared-attribute", `error: Unsupported attribute: .*"colour".*${at}`],
      ])("fails validate on %s, in the core's words with file and line", (_what, name, message) => {
        expect(failure(name)).toEqual({ ok: false, failed: "validate", errors: [expect.stringMatching(new RegExp(`^${message}`))] });
      });

      it("fails init, without reaching for the network, on a provider the mirror does not serve", () => {
        const r = failure("unserved-provider");
        expect(r.failed).toBe("init");
        expect(r.errors).toEqual([expect.stringMatching(/^error: Failed to query available provider packages .*hashicorp\/aws.*not found in any of the search locations/)]);
      });

      it("fails plan on a bad image in the tfvars, with the variable's own error_message", () => {
        const { error_message } = readStack(source).variable!.gateway_image.validation[0];
        const r = failure("bad-image");
        expect(r.failed).toBe("plan");
        expect(r.errors).toHaveLength(1);
        expect(r.errors[0]).toContain(error_message.replace(/\s*\n\s*/g, " ").trim());
      });
    });

    it("passes with the core starting the plugin itself (go-plugin handshake and AutoMTLS)", async () => {
      const [report] = await checkStacks({ stacksDir, binary, stacks: ["gateway-staging"], reuseProviders: false });
      expect({ ok: report.ok, diagnostics: report.diagnostics }).toEqual({ ok: true, diagnostics: [] });
      expect(report.plan?.import).toBe(1);
    }, 120_000);
  });
}
