import * as fs from "node:fs";
import * as path from "node:path";
import { staging } from "../../environments";
import { UsageError } from "../../ops/cli";
import { readHealthyImages } from "../../ops/healthy-images";
import { markHealthy } from "../../ops/mark-healthy";
import { setTfvar } from "../../lib/tfvars";
import { lines, ROOT, runInProcess, runOps, tempDir } from "./run";

// Each test starts node once or twice; on a loaded machine that can pass the default 5 s.
jest.setTimeout(20_000);

const REGISTRY = "us-east4-docker.pkg.dev/mindmirror-69/mindmirror";
const GOOD = `${REGISTRY}/mesh:v9.9.9-aaaaaaa`;
const BAD = `${REGISTRY}/mesh:v9.9.10-bbbbbbb`;
const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;
const ORIGINAL = fs.readFileSync(path.join(ROOT, "environments", "staging.auto.tfvars"), "utf8");

describe("mark-healthy and restore-healthy (the staging auto-rollback)", () => {
  let tmp: ReturnType<typeof tempDir>;
  let tfvars: string;
  let record: string;
  const setGateway = (image: string) => fs.writeFileSync(tfvars, setTfvar(fs.readFileSync(tfvars, "utf8"), "staging", "gateway_image", image));
  beforeEach(() => {
    tmp = tempDir("healthy");
    tfvars = path.join(tmp.dir, "staging.auto.tfvars");
    record = path.join(tmp.dir, "staging.healthy.json");
    fs.writeFileSync(tfvars, ORIGINAL);
    setGateway(GOOD);
  });
  afterEach(() => tmp.remove());

  it("records the image that passed, then restores it with set-image after a failed check", async () => {
    const mark = await runInProcess("mark-healthy", ["--env", "staging", "--service", "gateway", "--dir", tmp.dir, "--commit", "abc1234", "--run", "https://github.com/o/r/actions/runs/1"]);
    expect(mark).toMatchObject({ code: 0, stderr: "" });
    expect(lines(mark.stdout)).toEqual([`staging gateway: ${GOOD} passed its health check; recorded in ${record}`]);
    const recorded = JSON.parse(fs.readFileSync(record, "utf8"));
    expect(recorded).toEqual({ gateway: { image: GOOD, passedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), commit: "abc1234", run: "https://github.com/o/r/actions/runs/1" } });

    // The next deploy points the gateway at an image that fails its check.
    setGateway(BAD);
    const deployed = fs.readFileSync(tfvars, "utf8");
    const restore = await runInProcess("restore-healthy", ["--env", "staging", "--service", "gateway", "--dir", tmp.dir]);
    expect(restore).toMatchObject({ code: 0, stderr: "" });
    expect(lines(restore.stdout)).toEqual([
      `staging gateway_image: ${BAD} -> ${GOOD}`,
      `  passed its health check at ${recorded.gateway.passedAt} (commit abc1234) in https://github.com/o/r/actions/runs/1`,
    ]);
    // Only the gateway's value changed, exactly as set-image changes it.
    expect(fs.readFileSync(tfvars, "utf8")).toBe(deployed.replace(BAD, GOOD));
  });

  it("fails with exit 1 and one clear line when nothing has passed a health check yet", async () => {
    setGateway(BAD);
    const run = await runOps("restore-healthy", ["--env", "staging", "--service", "gateway", "--dir", tmp.dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(lines(run.stderr)).toEqual([
      `restore-healthy: no gateway image of staging has passed its health check yet (${record} has no entry for it); roll back by hand with the rollback workflow and a known good ref`,
    ]);
    expect(fs.readFileSync(tfvars, "utf8")).toContain(BAD);
  });

  it("fails with exit 1 when the failing image is the last healthy one: nothing to roll back to", async () => {
    markHealthy({ env: "staging", service: "gateway", dir: tmp.dir });
    const run = await runInProcess("restore-healthy", ["--env", "staging", "--service", "gateway", "--dir", tmp.dir]);
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([`restore-healthy: ${tfvars} already names ${GOOD}, the last gateway image that passed its health check; nothing to roll back to`]);
  });

  it("restores a digest reference as a digest", async () => {
    setGateway(`${REGISTRY}/mesh@${DIGEST}`);
    markHealthy({ env: "staging", service: "gateway", dir: tmp.dir });
    setGateway(BAD);
    const run = await runInProcess("restore-healthy", ["--env", "staging", "--service", "gateway", "--dir", tmp.dir]);
    expect(run.code).toBe(0);
    const line = fs.readFileSync(tfvars, "utf8").split("\n").find((l) => l.startsWith("gateway_image"));
    expect(line!.replace(/ +/g, " ")).toBe(`gateway_image = "${REGISTRY}/mesh@${DIGEST}"`);
  });

  it("keeps the other services' entries when it records one", () => {
    markHealthy({ env: "staging", service: "gateway", dir: tmp.dir });
    markHealthy({ env: "staging", service: "practices-service", dir: tmp.dir });
    expect(Object.keys(readHealthyImages(staging, tmp.dir))).toEqual(["gateway", "practices-service"]);
    expect(fs.readdirSync(tmp.dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("reads the image from the tfvars file the applied plan was made from, when given", () => {
    const applied = path.join(tmp.dir, "applied.tfvars");
    fs.writeFileSync(applied, setTfvar(ORIGINAL, "staging", "gateway_image", BAD));
    expect(markHealthy({ env: "staging", service: "gateway", dir: tmp.dir, tfvars: applied }).entry.image).toBe(BAD);
  });

  it("fails with exit 2 on a record that is not JSON, and writes nothing", async () => {
    fs.writeFileSync(record, "{ not json");
    setGateway(BAD);
    const run = await runOps("restore-healthy", ["--env", "staging", "--service", "gateway", "--dir", tmp.dir]);
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toHaveLength(1);
    expect(lines(run.stderr)[0]).toMatch(/^restore-healthy: .*staging\.healthy\.json is not JSON \(.*\); fix it or delete it/);
    expect(fs.readFileSync(tfvars, "utf8")).toContain(BAD);
  });

  it.each([
    [{ service: "gateway" }, /^--env is required/],
    [{ env: "staging", service: "nope" }, /^--service "nope" is not a service/],
    [{ env: "staging", service: "gateway", commit: "HEAD" }, /^--commit "HEAD" is not a commit SHA; use 7-40 lowercase hex digits$/],
    [{ env: "staging", service: "gateway", run: "javascript:x" }, /^--run "javascript:x" is not an https:\/\/ URL/],
    [{ env: "staging", service: "gateway", tfvars: "/nonexistent.tfvars" }, /^--tfvars "\/nonexistent\.tfvars" cannot be read \(ENOENT\)/],
  ])("mark-healthy fails if the flags are %j", (flags, message) => {
    expect(() => markHealthy({ dir: tmp.dir, ...flags })).toThrow(UsageError);
    expect(() => markHealthy({ dir: tmp.dir, ...flags })).toThrow(message);
  });

  it("mark-healthy refuses an image from another registry in the tfvars file", () => {
    setGateway("us-east4-docker.pkg.dev/mindmirror-prod/mindmirror/mesh:v1");
    // The file itself would fail synth; here it must not become the rollback target either.
    expect(() => markHealthy({ env: "staging", service: "gateway", dir: tmp.dir })).toThrow(/is not an image of gateway/);
    expect(fs.existsSync(record)).toBe(false);
  });
});
