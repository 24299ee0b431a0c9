import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { StorageBucket } from "@cdktf/provider-google/lib/storage-bucket";
import { staging } from "../../environments";
import { App, Aspects, Testing } from "../../lib/cdk";
import { applyPolicy, formatFinding, MINDMIRROR_RULES, PolicyPack } from "../../policy";
import { PROD_NO_FORCE_DESTROY, RUN_MAX_INSTANCES } from "../../policy/rules";
import type { PolicyRule } from "../../policy/types";
import { annotationsOf, compliantService, LOCKED, policyStack, TestStack } from "./helpers";

/** A stack with one uncapped service: exactly one MM-RUN-3 error. */
const uncapped = (app?: App) => policyStack((s) => compliantService(s, "api", { maxInstanceCount: null }), LOCKED, app);

describe("policy pack", () => {
  it("gives every rule a unique id, a one-line description, a severity and a fix", () => {
    const ids = MINDMIRROR_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of MINDMIRROR_RULES) {
      expect(rule.id).toMatch(/^MM-(IAM|SEC|RUN|IMG|PROD)-[1-9]$/);
      expect(rule.description).toMatch(/^[a-z][^\n]{10,160}$/);
      expect(["error", "warning"]).toContain(rule.severity);
      expect(rule.fix.length).toBeGreaterThan(10);
    }
  });

  it("writes findings as `[ID] description: found. Fix: hint` on the offending construct", () => {
    expect(annotationsOf(uncapped())).toEqual([
      {
        path: "foundation-staging/api",
        level: "error",
        message: `[MM-RUN-3] ${RUN_MAX_INSTANCES.description}: template.scaling.max_instance_count is unset. Fix: ${RUN_MAX_INSTANCES.fix}`,
      },
    ]);
    expect(formatFinding(RUN_MAX_INSTANCES, "x")).toBe(`[MM-RUN-3] ${RUN_MAX_INSTANCES.description}: x. Fix: ${RUN_MAX_INSTANCES.fix}`);
  });

  it("fails Testing.synth with validations on an error, and only records it without", () => {
    const stack = uncapped();
    expect(() => Testing.synth(stack)).not.toThrow();
    expect(() => Testing.synth(stack, true)).toThrow(/Validation failed[\s\S]*\[foundation-staging\/api\] \[MM-RUN-3\]/);
  });

  it("reports each finding once however often the tree is synthesized", () => {
    const stack = uncapped();
    Testing.synth(stack);
    Testing.synth(stack);
    expect(annotationsOf(stack)).toHaveLength(1);
  });

  it("fails app.synth() on an error, through validation or, when skipped, the error annotation", () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-"));
    try {
      const app = Testing.app({ outdir });
      uncapped(app);
      expect(() => app.synth()).toThrow(/\[MM-RUN-3\]/);
      const lenient = new App({ outdir, skipValidation: true });
      uncapped(lenient);
      expect(() => lenient.synth()).toThrow(/Encountered Annotations with level "ERROR"[\s\S]*\[MM-RUN-3\]/);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  it("lets synth succeed with warnings", () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-"));
    try {
      const app = Testing.app({ outdir });
      const stack = policyStack((s) => new StorageBucket(s, "scratch", { name: "scratch", location: "US", forceDestroy: true }), staging, app);
      expect(annotationsOf(stack).map((a) => [a.level, a.message.slice(0, 12)])).toEqual([["warning", "[MM-PROD-2] "]]);
      expect(() => Testing.synth(stack, true)).not.toThrow();
      expect(() => app.synth()).not.toThrow();
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  it("is applied to every stack, since cdktf never runs aspects added to the App", () => {
    const ignored = Testing.app();
    compliantService(new TestStack(ignored, LOCKED), "api", { maxInstanceCount: null });
    Aspects.of(ignored).add(new PolicyPack());
    Testing.synth(ignored.node.findAll().find((c) => c instanceof TestStack) as TestStack);
    expect(annotationsOf(ignored)).toEqual([]);

    const app = Testing.app();
    const stacks = [new TestStack(app, LOCKED), new TestStack(app, LOCKED, "services")];
    for (const stack of stacks) compliantService(stack, "api", { maxInstanceCount: null });
    applyPolicy(app);
    applyPolicy(app);
    for (const stack of stacks) {
      expect(Aspects.of(stack).all.filter((a) => a instanceof PolicyPack)).toHaveLength(1);
      Testing.synth(stack);
    }
    expect(annotationsOf(app).map((a) => a.path)).toEqual(["foundation-staging/api", "services-staging/api"]);
  });

  it("folds its warnings into one line per rule and environment, keeping errors and other annotations", () => {
    const pack = new PolicyPack();
    const stack = new TestStack(Testing.app(), staging);
    for (const id of ["a", "b"]) new StorageBucket(stack, id, { name: id, location: "US", forceDestroy: true });
    compliantService(stack, "api", { maxInstanceCount: null });
    applyPolicy(stack, pack);
    Testing.synth(stack);
    const LEVEL = { error: "@cdktf/error", warning: "@cdktf/warn", info: "@cdktf/info" };
    const recorded = annotationsOf(stack).map((a) => ({ constructPath: a.path, level: LEVEL[a.level], message: a.message }));
    const other = { constructPath: "foundation-staging/x", level: "@cdktf/warn", message: "not a policy finding" };
    expect(recorded.map((a) => a.level).sort()).toEqual(["@cdktf/error", "@cdktf/warn", "@cdktf/warn"]);
    expect(pack.summarize({ "foundation-staging": [...recorded, other] })).toEqual({
      "foundation-staging": [
        { constructPath: "foundation-staging", level: "@cdktf/warn", message: `MM-PROD-2 warning, staging: 2 findings: ${PROD_NO_FORCE_DESTROY.description}` },
        recorded.find((a) => a.level === "@cdktf/error"),
        other,
      ],
    });
  });

  it("re-raises a rule that throws with its id and the construct path", () => {
    const broken: PolicyRule = {
      ...RUN_MAX_INSTANCES,
      id: "MM-RUN-9",
      check: (node) => {
        if (node.node.id === "api") throw new TypeError("cannot read properties of undefined (reading 'scaling')");
        return [];
      },
    };
    const stack = new TestStack(Testing.app(), LOCKED);
    compliantService(stack, "api");
    applyPolicy(stack, new PolicyPack([broken]));
    expect(() => Testing.synth(stack)).toThrow(/^\[MM-RUN-9\] rule failed on foundation-staging\/api: cannot read properties of undefined \(reading 'scaling'\)$/);
  });

  it("fails if applied before any stack exists", () => {
    expect(() => applyPolicy(Testing.app())).toThrow(/applyPolicy\(app\): no TerraformStack found; call it after the stacks are defined/);
  });
});
