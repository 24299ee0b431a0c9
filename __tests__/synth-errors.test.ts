/**
 * The app on bad edits: one line per problem on stderr, a non-zero exit, no
 * stack trace unless MINDMIRROR_DEBUG=1, and cdktf.out left exactly as it
 * was. Each case runs main.ts's runApp in this process; the real entry point
 * (main.ts as cdktf.json's app command runs it, in a child process) runs on
 * one bad edit and with MINDMIRROR_DEBUG=1, for the exit code and what
 * reaches stderr.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runPatched, type AppPatch } from "./app-patch";

const ROOT = path.join(__dirname, "..");
/** The node arguments of cdktf.json's app command before main.ts: how the app loads its TypeScript. */
const APP_LOADER = (JSON.parse(fs.readFileSync(path.join(ROOT, "cdktf.json"), "utf8")) as { app: string }).app.split(" ").slice(1, -1);

interface Run {
  readonly code: number;
  readonly stderr: string[];
}

/** Runs main.ts in a child process through the patch fixture (see fixtures/patched-main.ts) with CDKTF_OUTDIR set. */
function runMain(outdir: string, patch: AppPatch = {}, extraEnv: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const env = { ...process.env, CDKTF_OUTDIR: outdir, MINDMIRROR_TEST_PATCH: JSON.stringify(patch), ...extraEnv };
    delete (env as Record<string, string | undefined>).MINDMIRROR_DEBUG;
    Object.assign(env, extraEnv);
    execFile(process.execPath, [...APP_LOADER, path.join("__tests__", "fixtures", "patched-main.ts")], { cwd: ROOT, env, timeout: 60_000 }, (error, _stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      resolve({ code, stderr: String(stderr).split("\n").filter(Boolean) });
    });
  });
}

/** Every file below `dir` with its contents, for before/after comparisons. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, "utf8");
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}

describe("synth through main.ts", () => {
  const dirs: string[] = [];
  const tempOut = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mindmirror-main-"));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  describe("fails with one line naming field, value and fix, and writes nothing", () => {
    const cases: [string, AppPatch, RegExp][] = [
      [
        "staging's state prefix set to production's",
        { environments: { staging: { backend: { prefix: "envs/production" } } } },
        /^environments\.staging\.backend\.prefix: "envs\/production" overlaps production's \("envs\/production"\); give each environment its own prefix/,
      ],
      [
        "a CI account id equal to a runtime account id",
        { environments: { staging: { ci: { deployerAccountId: "gateway-staging" } } } },
        /^environments\.staging\.ci\.deployerAccountId: "gateway-staging" is also the runtime account of "gateway" in staging in project "mindmirror-69"; give each CI account an id of its own/,
      ],
      [
        "staging pointed at production's project",
        { environments: { staging: { project: { id: "mindmirror-prod", number: "435339726777" } } } },
        /^environments\.staging\.project\.id: "mindmirror-prod" is also the project of production; give each environment its own project, or share it on purpose: list production in project\.sharedWith/,
      ],
      [
        "a template sequence in a catalog env value",
        { catalog: { "agent-service": { env: { OPENAI_MODEL: '${file("/etc/hostname")}' } } } },
        /^catalog "agent-service"\.env\.OPENAI_MODEL: "\$\{file\(\\"\/etc\/hostname\\"\)\}" holds a template sequence; OpenTofu would evaluate it/,
      ],
      [
        "the tag latest in the tfvars file",
        {
          files: {
            "environments/staging.auto.tfvars": fs
              .readFileSync(path.join(ROOT, "environments", "staging.auto.tfvars"), "utf8")
              .replace(/^(gateway_image\s*=\s*"[^"]*):[^"]*"/m, '$1:latest"'),
          },
        },
        /^staging image variable gateway_image: "us-east4-docker\.pkg\.dev\/mindmirror-69\/mindmirror\/mesh:latest" is not valid; the tag latest/,
      ],
      [
        "two environments of one name",
        { environments: { production: { name: "staging" } } },
        /^environments\/production\.ts name: "staging" is already the name of the environment in environments\/staging\.ts; give each environment its own name$/,
      ],
    ];
    /** What every failed run shows: exit 1, one line per problem, no stack frame, nothing written. */
    const expectOneLineFailure = (outdir: string, run: Run, message: RegExp) => {
      expect(run.code).toBe(1);
      expect(run.stderr.some((line) => message.test(line))).toBe(true);
      // One line per problem: nothing that looks like a stack frame or a wrapped message.
      for (const line of run.stderr) expect(line).toMatch(/^(?:environments|catalog|staging|production)[ ./"a-z]/);
      expect(run.stderr.filter((line) => /^\s+at /.test(line))).toEqual([]);
      expect(tree(outdir)).toEqual({});
    };

    it.each(cases)("%s", (_name, patch, message) => {
      const outdir = tempOut();
      expectOneLineFailure(outdir, runPatched(outdir, patch), message);
    });

    it.each(cases.filter(([name]) => name === "two environments of one name"))("through the real entry point: %s", async (_name, patch, message) => {
      const outdir = tempOut();
      expectOneLineFailure(outdir, await runMain(outdir, patch), message);
    }, 60_000);
  });

  it("prints the stack trace only with MINDMIRROR_DEBUG=1", async () => {
    // Without the flag, every case above prints one line per problem and no stack frame.
    const debug = await runMain(tempOut(), { environments: { staging: { ci: { workloadIdentityPool: "gcp-pool" } } } }, { MINDMIRROR_DEBUG: "1" });
    expect(debug.code).toBe(1);
    expect(debug.stderr[0]).toBe('environments.staging.ci.workloadIdentityPool: "gcp-pool" is not valid; the prefix "gcp-" is reserved by Google; use an id such as "github-pool" or "github-oidc"');
    expect(debug.stderr.some((line) => /^\s+at .*validate/.test(line))).toBe(true);
  }, 60_000);

  describe("all or nothing", () => {
    const outdir = tempOut();
    const localFiles = {
      "stacks/foundation-staging/bootstrap.tfstate": '{"version":4}',
      "stacks/services-staging/.terraform/terraform.tfstate": "{}",
      "stacks/services-staging/plan.tfplan": "saved plan",
    };
    let before: Record<string, string>;

    beforeAll(() => {
      const first = runPatched(outdir);
      expect(first).toEqual({ code: 0, stderr: expect.any(Array) });
      for (const [file, text] of Object.entries(localFiles)) {
        fs.mkdirSync(path.dirname(path.join(outdir, file)), { recursive: true });
        fs.writeFileSync(path.join(outdir, file), text);
      }
      before = tree(outdir);
    }, 60_000);

    it("leaves the previous cdktf.out as it was when a stack synthesized late fails its policy check", () => {
      // The gateway stacks come after both foundations and services-staging: cdktf alone would have written those.
      const run = runPatched(outdir, { catalog: { gateway: { env: { API_TOKEN: "abc" } } } });
      expect(run.code).toBe(1);
      // Every stack's problems, not only the first failing stack's.
      expect(run.stderr).toEqual([
        expect.stringMatching(/^gateway-staging\/gateway\/service: \[MM-SEC-1\] .*env API_TOKEN is a plain value/),
        expect.stringMatching(/^gateway-production\/gateway\/service: \[MM-SEC-1\] .*env API_TOKEN is a plain value/),
      ]);
      expect(tree(outdir)).toEqual(before);
      expect(fs.readdirSync(outdir).sort()).toEqual(["annotations.json", "manifest.json", "stacks"]);
    }, 60_000);

    it("replaces what synth writes and keeps the files it does not", () => {
      const run = runPatched(outdir, { catalog: { "agent-service": { env: { OPENAI_MODEL: "gpt-4o" } } } });
      expect(run.code).toBe(0);
      const after = tree(outdir);
      for (const [file, text] of Object.entries(localFiles)) expect(after[file]).toBe(text);
      expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
      expect(after["stacks/services-staging/cdk.tf.json"]).toContain('"gpt-4o"');
      expect(before["stacks/services-staging/cdk.tf.json"]).not.toContain('"gpt-4o"');
      expect(fs.readdirSync(outdir).sort()).toEqual(["annotations.json", "manifest.json", "stacks"]);
    }, 60_000);
  });
});
