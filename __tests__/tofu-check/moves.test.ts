import * as fs from "node:fs";
import * as path from "node:path";
import { ENVIRONMENTS } from "../../environments";
import { cloudRunName } from "../../lib/naming";
import { checkStacks, findBinary, type StackReport } from "../../tofu-check/harness";
import { sharedSynth } from "../synth-main";

/**
 * The first plan after the invoker bindings took readable addresses, against
 * a state that holds them where the earlier code put them: the real core must
 * plan a move for each and neither create nor destroy a binding (an additive
 * grant destroyed after its re-creation would be gone).
 */
const binary = findBinary();
const INVOKER = "google_cloud_run_v2_service_iam_member";
type Bindings = Record<string, Record<string, string>>;
const hashed = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "hashed-invoker-bindings.json"), "utf8")) as Record<string, Bindings>;
const STACKS = Object.keys(hashed).filter((k) => k !== "//");

/** A version 4 state holding the bindings of `stack` at their hashed addresses, with the values the provider would have stored. */
function stateOf(stack: string): unknown {
  const env = ENVIRONMENTS.find((e) => stack.endsWith(`-${e.name}`))!;
  const resources = Object.entries(hashed[stack]).map(([address, binding]) => {
    const [type, name] = address.split(".");
    // A binding in the services stack names its service through the service's `name` attribute.
    const service = binding.name.replace(/^\$\{google_cloud_run_v2_service\.(\w+)\.name\}$/, (_m, base: string) => cloudRunName(env, base.replace(/_/g, "-")));
    const id = `projects/${binding.project}/locations/${binding.location}/services/${service}/${binding.role}/${binding.member}`;
    return {
      mode: "managed",
      type,
      name,
      provider: 'provider["registry.terraform.io/hashicorp/google"]',
      instances: [{ schema_version: 0, sensitive_attributes: [], attributes: { ...binding, name: service, id, etag: "BwYAAAAAAAA=", condition: [] } }],
    };
  });
  return { version: 4, terraform_version: "1.6.0", serial: 1, lineage: "7c1c3d8e-0000-4000-8000-000000000000", outputs: {}, resources };
}

if (binary === undefined) {
  it("moved-blocks plan skipped: no tofu or terraform on PATH", () => {
    expect(findBinary()).toBeUndefined();
  });
} else {
  describe(`first plan after the invoker renames (${binary.name} ${binary.version})`, () => {
    let outdir: string;
    let reports: StackReport[];
    beforeAll(async () => {
      outdir = sharedSynth();
      const states = Object.fromEntries(STACKS.map((s) => [s, stateOf(s)]));
      reports = await checkStacks({ stacksDir: path.join(outdir, "stacks"), binary, stacks: STACKS, states });
    }, 180_000);

    it("covers the services and gateway stacks of both environments", () => {
      expect(reports.map((r) => r.stack).sort()).toEqual(["gateway-production", "gateway-staging", "services-production", "services-staging"]);
      for (const r of reports) expect({ stack: r.stack, ok: r.ok, errors: r.diagnostics }).toEqual({ stack: r.stack, ok: true, errors: [] });
    });

    it.each(STACKS)("%s: every binding in the state moves to its readable address, and none is created or destroyed", (stack) => {
      const report = reports.find((r) => r.stack === stack)!;
      const bindings = report.changes!.filter((c) => c.address.startsWith(`${INVOKER}.`));
      expect(bindings.filter((c) => c.action !== "move")).toEqual([]);
      expect(bindings.map((c) => c.previousAddress).sort()).toEqual(Object.keys(hashed[stack]).sort());
      expect(bindings.every((c) => /^google_cloud_run_v2_service_iam_member\.[a-z_]+_invoker_[a-z_]+$/.test(c.address))).toBe(true);
      expect(report.plan!.remove).toBe(0);
    });
  });
}
