import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SERVICES, servicesOf } from "../../catalog";
import { ENVIRONMENTS, type EnvironmentConfig } from "../../environments";
import { GITHUB } from "../../environments/github";
import { TerraformStack, Testing } from "../../lib/cdk";
import { cloudRunName } from "../../lib/naming";
import { runApp } from "../../main";
import { applyPolicy } from "../../policy";
import { defineEnvironment } from "../../stacks";
import { imagesFor } from "../helpers";
import { annotationsOf, type Annotation } from "./helpers";

const BACKENDS = servicesOf(SERVICES, "services");

/** Every environment's stacks in one app, policy applied, synthesized to a temp folder. */
function synthApp(environments: readonly EnvironmentConfig[]): { annotations: Annotation[]; outdir: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-app-"));
  const app = Testing.app({ outdir });
  for (const environment of environments) defineEnvironment(app, { environment, images: imagesFor(environment) });
  applyPolicy(app);
  app.synth();
  return { annotations: annotationsOf(app), outdir };
}

/** The synth warning of each foundation while `GITHUB.ids` is unset. */
function idsWarnings(): Annotation[] {
  if (GITHUB.ids !== undefined) return [];
  return ENVIRONMENTS.map((env) => ({ level: "warning", path: `foundation-${env.name}/github`, message: expect.stringMatching(/^github\.ids: the Workload Identity condition of /) }));
}

describe("the real app under the policy pack", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it("synthesizes every environment with no policy error, warning only about public backends, by environment", () => {
    const { annotations, outdir } = synthApp(ENVIRONMENTS);
    dirs.push(outdir);
    expect(annotations.filter((a) => a.level !== "warning")).toEqual([]);
    for (const env of ENVIRONMENTS) {
      expect(env.invoker.unauthenticatedBackends).toBe(true);
      const warnings = annotations.filter((a) => a.path.startsWith(`services-${env.name}/`));
      expect(warnings.map((a) => a.message.match(/allUsers may invoke ([\w-]+) .*environment "(\w+)"/)?.slice(1))).toEqual(
        BACKENDS.map((s) => [cloudRunName(env, s.name), env.name]),
      );
    }
    const findings = annotations.filter((a) => a.message.startsWith("[MM-"));
    expect(findings).toHaveLength(ENVIRONMENTS.length * BACKENDS.length);
    expect(annotations.filter((a) => !findings.includes(a))).toEqual(idsWarnings());
  });

  it("has no finding at all once backends are closed", () => {
    const closed = ENVIRONMENTS.map((env) => ({ ...env, invoker: { unauthenticatedBackends: false } }));
    const { annotations, outdir } = synthApp(closed);
    dirs.push(outdir);
    // Only the reminder to pin the repository's numeric ids (environments/github.ts), which is not a policy finding.
    expect(annotations).toEqual(idsWarnings());
  });

  it("would catch a broad project role given to any member the app grants project roles to", () => {
    const app = Testing.app();
    for (const environment of ENVIRONMENTS) defineEnvironment(app, { environment, images: imagesFor(environment) });
    const grants = app.node.findAll().filter((c): c is ProjectIamMember => c instanceof ProjectIamMember);
    // The foundation stacks grant the deployer its project roles; the rule must see that member as a service account.
    expect(grants.length).toBeGreaterThan(0);
    for (const grant of grants) {
      new ProjectIamMember(grant.node.scope!, `${grant.node.id}-as-owner`, { project: grant.projectInput!, role: "roles/owner", member: grant.memberInput! });
    }
    applyPolicy(app);
    const stacks = app.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
    stacks.forEach((stack) => Testing.synth(stack));
    const errors = annotationsOf(app).filter((a) => a.level === "error");
    expect(errors.map((a) => a.path).sort()).toEqual(grants.map((g) => `${g.node.path}-as-owner`).sort());
    expect(errors.every((a) => a.message.startsWith("[MM-IAM-2] "))).toBe(true);
  });

  /**
   * Runs main.ts's app (in this process; the child process is main.test.ts's)
   * as `cdktf synth` runs it, and returns what its manifest prints and what
   * annotations.json keeps.
   */
  function synthMain(env: Record<string, string> = {}): { printed: { constructPath: string; level: string; message: string }[]; kept: { constructPath: string; level: string; message: string }[] } {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-main-"));
    dirs.push(outdir);
    // As the CLI runs the app: it prints the annotations itself and fails on errors.
    const continueOnErrors = process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
    process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = "true";
    const stderr: string[] = [];
    try {
      expect(runApp({ outdir, verbose: env.MINDMIRROR_VERBOSE === "1", debug: false, stderr: (line) => stderr.push(line) })).toBe(0);
    } finally {
      if (continueOnErrors === undefined) delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
      else process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = continueOnErrors;
    }
    expect(stderr).toEqual([]);
    const read = (file: string) => JSON.parse(fs.readFileSync(path.join(outdir, file), "utf8"));
    const manifest = read("manifest.json") as { stacks: Record<string, { annotations: { constructPath: string; level: string; message: string }[] }> };
    const kept = read("annotations.json") as Record<string, { constructPath: string; level: string; message: string }[]>;
    return { printed: Object.values(manifest.stacks).flatMap((s) => s.annotations), kept: Object.values(kept).flat() };
  }

  const publicBindings = () =>
    ENVIRONMENTS.flatMap((env) => BACKENDS.map((s) => `services-${env.name}/${s.name}/invoker-public/binding`));

  it("is wired into main.ts: cdktf synth prints one MM-IAM-1 line per environment, annotations.json keeps every construct path", () => {
    const { printed, kept } = synthMain();
    expect(printed.filter((a) => a.level === "@cdktf/error")).toEqual([]);
    expect(printed.filter((a) => /MM-IAM-1/.test(a.message))).toEqual(
      expect.arrayContaining(ENVIRONMENTS.map((env) => ({
        constructPath: `services-${env.name}`,
        level: "@cdktf/warn",
        message: `MM-IAM-1 warning, ${env.name}: ${BACKENDS.length} backends invokable by allUsers (invoker.unauthenticatedBackends; README "Service-to-service authentication")`,
      }))),
    );
    expect(printed.filter((a) => /MM-IAM-1/.test(a.message))).toHaveLength(ENVIRONMENTS.length);
    expect(printed.filter((a) => !/MM-IAM-1/.test(a.message)).map((a) => a.constructPath).sort()).toEqual(idsWarnings().map((a) => a.path).sort());
    const findings = kept.filter((a) => a.message.startsWith("[MM-IAM-1] "));
    expect(findings.map((a) => a.level)).toEqual(Array(ENVIRONMENTS.length * BACKENDS.length).fill("@cdktf/warn"));
    expect(findings.map((a) => a.constructPath).sort()).toEqual(publicBindings().sort());
  });

  it("prints every finding on its own line with MINDMIRROR_VERBOSE=1", () => {
    const { printed, kept } = synthMain({ MINDMIRROR_VERBOSE: "1" });
    expect(printed).toEqual(kept);
    expect(printed.filter((a) => a.message.startsWith("[MM-IAM-1] ")).map((a) => a.constructPath).sort()).toEqual(publicBindings().sort());
  });
});
