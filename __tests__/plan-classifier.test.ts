/**
 * The plan classifier behind every plan summary, in process: each way a plan
 * document can be malformed gets its own message, each action its count, and
 * the summary every line a reviewer reads.
 */
import { production, staging } from "../environments";
import { classifyPlan, PlanFormatError, planVerdict, readPlanDocument, renderPlanSummary } from "../lib/plan";

/** A format 1.2 plan document with `parts`. */
const doc = (parts: Record<string, unknown> = {}) => ({ format_version: "1.2", ...parts });
/** One resource change. */
const rc = (address: string, actions: string[], extra: Record<string, unknown> = {}, type = "google_storage_bucket") => ({
  address,
  type,
  change: { actions, ...extra },
});
const formatError = (data: unknown): string => {
  try {
    readPlanDocument(data);
  } catch (error) {
    expect(error).toBeInstanceOf(PlanFormatError);
    return (error as Error).message;
  }
  throw new Error("the document was accepted");
};

describe("reading a plan document", () => {
  it.each([
    [null, "holds null, not a plan object"],
    [[], "holds an array, not a plan object"],
    ["plan", 'holds "plan", not a plan object'],
    [{}, "has format_version undefined; this command reads format 1.x, as written by tofu show -json plan.tfplan"],
    [{ format_version: "2.0" }, 'has format_version "2.0"; this command reads format 1.x, as written by tofu show -json plan.tfplan'],
    [{ format_version: "x1.2" }, 'has format_version "x1.2"; this command reads format 1.x, as written by tofu show -json plan.tfplan'],
    [{ format_version: "1.2x" }, 'has format_version "1.2x"; this command reads format 1.x, as written by tofu show -json plan.tfplan'],
    [{ format_version: 1.2 }, "has format_version 1.2; this command reads format 1.x, as written by tofu show -json plan.tfplan"],
    [doc({ errored: true }), "is a plan that errored; fix the plan first"],
    [doc({ resource_changes: {} }), "has resource_changes that is not an array"],
    [doc({ resource_changes: [null] }), "has resource_changes[0] without address, type and change.actions"],
    [doc({ resource_changes: [rc("a.b", ["create"]), { address: "c.d", change: { actions: ["create"] } }] }), "has resource_changes[1] without address, type and change.actions"],
    [doc({ resource_changes: [{ address: "a.b", type: "t", change: {} }] }), "has resource_changes[0] without address, type and change.actions"],
    [doc({ resource_changes: [{ address: "a.b", type: "t", change: { actions: [1] } }] }), "has resource_changes[0] without address, type and change.actions"],
    [doc({ resource_changes: [{ address: 7, type: "t", change: { actions: [] } }] }), "has resource_changes[0] without address, type and change.actions"],
    [doc({ resource_drift: {} }), "has resource_drift that is not an array of changes with an address"],
    [doc({ resource_drift: [{ address: 1 }] }), "has resource_drift that is not an array of changes with an address"],
    [doc({ resource_drift: [null] }), "has resource_drift that is not an array of changes with an address"],
    [doc({ output_changes: [] }), "has output_changes that is not an object"],
    [doc({ output_changes: "x" }), "has output_changes that is not an object"],
  ])("refuses %j: %s", (data, message) => {
    expect(formatError(data)).toBe(message);
  });

  it("accepts an empty plan of any format 1.x, not errored", () => {
    expect(readPlanDocument(doc({ format_version: "1.0", errored: false }))).toEqual({ resourceChanges: [], outputChanges: [], changedOutside: [] });
  });

  it("lists each drifted address once, and only the outputs whose value changes", () => {
    const read = readPlanDocument(
      doc({
        resource_drift: [{ address: "a.x" }, { address: "a.x" }, { address: "b.y" }],
        output_changes: { same: { actions: ["no-op"] }, changed: { actions: ["update"] }, partly: { actions: ["no-op", "update"] }, odd: {}, empty: null },
      }),
    );
    expect(read.changedOutside).toEqual(["a.x", "b.y"]);
    expect(read.outputChanges).toEqual(["changed", "partly"]);
  });
});

describe("classifying a plan", () => {
  it("counts every action, skips data sources and no-ops, and fails closed on an unknown action", () => {
    const plan = classifyPlan(
      staging,
      doc({
        resource_changes: [
          rc("a.create", ["create"]),
          rc("a.update", ["update"]),
          rc("a.replace", ["delete", "create"]),
          rc("a.replace2", ["create", "delete"]),
          rc("a.destroy", ["delete"]),
          rc("a.forget", ["forget"]),
          rc("a.noop", ["no-op"]),
          rc("a.read", ["read"]),
          { ...rc("data.x", ["create"]), mode: "data" },
          rc("a.import", ["no-op"], { importing: { id: "x" } }),
          rc("a.importupdate", ["update"], { importing: {} }),
          rc("a.notimport", ["no-op"], { importing: null }),
        ],
      }),
    );
    expect(plan.counts).toEqual({ create: 1, update: 2, replace: 2, destroy: 1, import: 2 });
    expect(plan.forgotten).toBe(1);
    expect(plan.changes.map((c) => [c.address, c.action, c.importing])).toEqual([
      ["a.create", "create", false],
      ["a.update", "update", false],
      ["a.replace", "replace", false],
      ["a.replace2", "replace", false],
      ["a.destroy", "destroy", false],
      ["a.forget", "forget", false],
      ["a.import", "import", true],
      ["a.importupdate", "update", true],
    ]);
    expect(() => classifyPlan(staging, doc({ resource_changes: [rc("a.odd", ["delete", "update"])] }))).toThrow(
      'has actions ["delete","update"] for a.odd, which this command does not know; update lib/plan.ts',
    );
  });

  it("names the cloud object by its first non-empty id attribute", () => {
    const plan = classifyPlan(
      production,
      doc({
        resource_changes: [
          rc("a.secret", ["delete"], { before: { secret_id: "", account_id: "acct", name: "n" } }, "google_secret_manager_secret"),
          rc("a.named", ["update"], { before: { name: "only-name" } }),
          rc("a.none", ["update"], { before: "x" }),
          rc("a.null", ["update"], { before: null }),
          rc("a.number", ["update"], { before: { name: 3 } }),
        ],
      }),
    );
    expect(plan.changes.map((c) => c.id)).toEqual(["acct", "only-name", undefined, undefined, undefined]);
  });

  it("counts a Cloud Run replace as a danger only where the environment protects its resources", () => {
    const run = doc({ resource_changes: [rc("google_cloud_run_v2_service.gateway", ["delete", "create"], {}, "google_cloud_run_v2_service")] });
    expect(classifyPlan(staging, run).dangers).toEqual([]);
    expect(classifyPlan(production, run).dangers).toEqual([
      { address: "google_cloud_run_v2_service.gateway", type: "google_cloud_run_v2_service", action: "replace", importing: false, kind: "Cloud Run service" },
    ]);
    // A bucket's data is gone with it in every environment: always named.
    const bucket = doc({ resource_changes: [rc("google_storage_bucket.x", ["delete"], {}, "google_storage_bucket")] });
    expect(classifyPlan(staging, bucket).dangers.map((d) => [d.address, d.kind])).toEqual([["google_storage_bucket.x", "bucket"]]);
    const secret = doc({ resource_changes: [rc("google_secret_manager_secret.s", ["update"], {}, "google_secret_manager_secret")] });
    expect(classifyPlan(production, secret).dangers).toEqual([]);
  });
});

describe("the summary a reviewer reads", () => {
  const plan = classifyPlan(
    production,
    doc({
      resource_changes: [
        rc("google_secret_manager_secret.urls", ["delete"], { before: { secret_id: "service-urls" } }, "google_secret_manager_secret"),
        rc("google_service_account.x", ["delete", "create"], {}, "google_service_account"),
        rc("a.imported", ["update"], { importing: {}, before: { name: "n`1" } }),
        rc("a.gone", ["forget"]),
      ],
      output_changes: { url: { actions: ["update"] }, other: { actions: ["create"] } },
      resource_drift: [{ address: "a.clicked" }, { address: "b.clicked" }],
    }),
  );

  it("leads with the counts, then the dangers, the verdict, the changes, the outputs and the drift", () => {
    const verdict = planVerdict(production, plan, false);
    expect(renderPlanSummary("Plan of services-production", plan, verdict)).toEqual([
      "### Plan of services-production",
      "",
      "| create | update | replace | destroy | import |",
      "|---:|---:|---:|---:|---:|",
      "| 0 | 1 | 1 | 1 | 1 |",
      "",
      "> [!CAUTION]",
      "> **Stateful resources replaced or destroyed (2):**",
      "> - **destroy** secret `google_secret_manager_secret.urls` (`service-urls`)",
      "> - **replace** service account `google_service_account.x`",
      "",
      `**Blocked:** ${verdict.reason}.`,
      "",
      "Changed addresses (4):",
      "",
      "- destroy `google_secret_manager_secret.urls` (`service-urls`)",
      "- replace `google_service_account.x`",
      "- update `a.imported` (`n'1`), imported",
      "- forget `a.gone`",
      "",
      "1 removed from state only (forget), not destroyed.",
      "",
      "Outputs changed: `url`, `other`.",
      "",
      "Changed outside OpenTofu since the last apply (2): `a.clicked`, `b.clicked`.",
      "",
    ]);
  });

  it("warns instead of blocking when the plan is allowed, and says when nothing changes", () => {
    const allowed = renderPlanSummary("t", plan, planVerdict(production, plan, true));
    expect(allowed).toContain("> [!WARNING]");
    expect(allowed).not.toContain("> [!CAUTION]");
    expect(allowed.find((l) => l.startsWith("**OK:**"))).toBe("**OK:** 2 stateful resources would be replaced or destroyed, allowed by the label allow-destroy.");
    const empty = classifyPlan(staging, doc());
    const lines = renderPlanSummary("t", empty, planVerdict(staging, empty, false));
    expect(lines.slice(4)).toEqual(["| 0 | 0 | 0 | 0 | 0 |", "", "**OK:** no stateful resource is replaced or destroyed.", "", "No resource changes.", ""]);
  });

  it("lists outputs alone as changes, and one danger in the singular", () => {
    const outputs = classifyPlan(staging, doc({ output_changes: { url: { actions: ["update"] } } }));
    expect(renderPlanSummary("t", outputs, planVerdict(staging, outputs, false)).slice(-5)).toEqual(["Changed addresses (0):", "", "", "Outputs changed: `url`.", ""]);
    const one = classifyPlan(production, doc({ resource_changes: [rc("google_service_account.x", ["delete"], {}, "google_service_account")] }));
    expect(planVerdict(production, one, false).reason).toMatch(/^1 stateful resource would be replaced or destroyed in production, which protects them/);
    expect(planVerdict(staging, one, false)).toEqual({ ok: true, reason: "1 stateful resource would be replaced or destroyed; staging does not protect its resources, so this is not blocked" });
  });
});
