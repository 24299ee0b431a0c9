import * as fs from "node:fs";
import * as path from "node:path";
import { production, staging } from "../../environments";
import { UsageError } from "../../ops/cli";
import { resolveImage, setImage, setImageInFile } from "../../ops/set-image";
import { lines, ROOT, runInProcess, runOps, tempDir } from "./run";
import { spawnSync } from "node:child_process";
import { SERVICES } from "../../catalog";
import { imageVariableName } from "../../lib/naming";
import { readTfvars } from "../../lib/tfvars";

const REAL = path.join(ROOT, "environments");
const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;
const STAGING_REGISTRY = "us-east4-docker.pkg.dev/mindmirror-69/mindmirror";

/** A tfvars text with the odd spacing, comments and line ends a hand edit leaves. */
const HAND_EDITED = [
  "# header comment",
  "",
  `agent_service_image = "${STAGING_REGISTRY}/agent_service:v1"   # pinned for the demo`,
  `  gateway_image="${STAGING_REGISTRY}/mesh:v1" // old style comment`,
  "",
].join("\r\n");

describe("set-image", () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    tmp = tempDir("set-image");
    for (const f of ["staging.auto.tfvars", "production.auto.tfvars"]) fs.copyFileSync(path.join(REAL, f), path.join(tmp.dir, f));
  });
  afterEach(() => tmp.remove());

  it("rewrites only the service's value and prints old -> new", async () => {
    const file = path.join(tmp.dir, "staging.auto.tfvars");
    const before = fs.readFileSync(file, "utf8");
    const productionText = fs.readFileSync(path.join(tmp.dir, "production.auto.tfvars"), "utf8");
    // Whatever the pipeline last deployed: read, never pinned.
    const old = readTfvars(before, "staging.auto.tfvars").get("journal_service_image")!;
    expect(old.startsWith(`${STAGING_REGISTRY}/journal_service`)).toBe(true);
    expect(before).toContain(old);

    const run = await runInProcess("set-image", ["--env", "staging", "--service", "journal-service", "--tag", "v1.1.0-abc1234", "--dir", tmp.dir]);

    expect(run).toMatchObject({ code: 0, stderr: "" });
    const now = `${STAGING_REGISTRY}/journal_service:v1.1.0-abc1234`;
    expect(lines(run.stdout)).toEqual([`staging journal_service_image: ${old} -> ${now}`]);
    expect(fs.readFileSync(file, "utf8")).toBe(before.replace(old, now));
    expect(fs.readFileSync(path.join(tmp.dir, "production.auto.tfvars"), "utf8")).toBe(productionText);
  });

  it("fails with exit 2 and one line naming the flag, leaving the file alone", async () => {
    const file = path.join(tmp.dir, "staging.auto.tfvars");
    const before = fs.readFileSync(file, "utf8");

    const run = await runOps("set-image", ["--env", "staging", "--service", "foo", "--tag", "v2", "--dir", tmp.dir]);

    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(lines(run.stderr)).toEqual([
      "set-image: --service \"foo\" is not a service; use one of agent-service, journal-service, habits-service, meals-service, movements-service, practices-service, users-service, gateway",
    ]);
    expect(fs.readFileSync(file, "utf8")).toBe(before);
  });

  it("keeps comments, spacing and CRLF line ends byte for byte", () => {
    const target = resolveImage({ env: "staging", service: "gateway", digest: DIGEST });
    const { text, change } = setImage(HAND_EDITED, "x.tfvars", target);

    expect(text).toBe(HAND_EDITED.replace(`mesh:v1"`, `mesh@${DIGEST}"`));
    expect(text.split("\r\n")[3]).toBe(`  gateway_image="${STAGING_REGISTRY}/mesh@${DIGEST}" // old style comment`);
    expect(change).toEqual({ variable: "gateway_image", from: `${STAGING_REGISTRY}/mesh:v1`, to: `${STAGING_REGISTRY}/mesh@${DIGEST}` });
  });

  it("builds the value from the environment's registry and the service's image name", () => {
    expect(resolveImage({ env: "production", service: "agent-service", tag: "v2.0.0-1234567" })).toEqual({
      env: production,
      variable: "agent_service_image",
      image: "us-east4-docker.pkg.dev/mindmirror-prod/mindmirror/agent_service:v2.0.0-1234567",
    });
    expect(resolveImage({ env: "staging", service: "gateway", tag: "v_a.B-9" }).image).toBe(`${STAGING_REGISTRY}/mesh:v_a.B-9`);
    expect(resolveImage({ env: "staging", service: "gateway", tag: `v${"a".repeat(127)}` }).env).toBe(staging);
  });

  it.each([
    [{ env: "dev", service: "gateway", tag: "v1" }, /^--env "dev" is not an environment; use staging or production$/],
    [{ service: "gateway", tag: "v1" }, /^--env is required/],
    [{ env: "staging", tag: "v1" }, /^--service is required; use one of agent-service/],
    [{ env: "staging", service: "gateway" }, /^--tag or --digest is required; give --tag <tag>/],
    [{ env: "staging", service: "gateway", tag: "v1", digest: DIGEST }, /^--tag "v1" and --digest "sha256:0123.*" are both given; give only one$/],
    [{ env: "staging", service: "gateway", tag: ".v1" }, /^--tag ".v1" is not a valid image tag; use a release tag: "v" then up to 127 letters/],
    [{ env: "staging", service: "gateway", tag: "1.0.0-252ad69" }, /^--tag "1\.0\.0-252ad69" is not a valid image tag; use a release tag: "v"/],
    [{ env: "staging", service: "gateway", tag: "latest" }, /^--tag "latest" is not allowed; it does not say which build runs, and the registry's cleanup does not keep it: give the release tag/],
    [{ env: "staging", service: "gateway", tag: "v1 2" }, /^--tag "v1 2" is not a valid image tag/],
    [{ env: "staging", service: "gateway", tag: "v1@sha256:abc" }, /^--tag "v1@sha256:abc" is not a valid image tag/],
    [{ env: "staging", service: "gateway", tag: "" }, /^--tag "" is not a valid image tag/],
    [{ env: "staging", service: "gateway", tag: `v${"a".repeat(128)}` }, /^--tag "va{128}" is not a valid image tag/],
    [{ env: "staging", service: "gateway", digest: DIGEST.toUpperCase().replace("SHA", "sha") }, /^--digest "sha256:0123456789ABCDEF.*" is not an image digest; use sha256: followed by 64 lowercase hex digits$/],
    [{ env: "staging", service: "gateway", digest: "sha256:abc" }, /^--digest "sha256:abc" is not an image digest/],
    [{ env: "staging", service: "gateway", digest: DIGEST.slice(7) }, /is not an image digest/],
  ])("fails if the request is %j", (request, message) => {
    expect(() => resolveImage(request)).toThrow(UsageError);
    expect(() => resolveImage(request)).toThrow(message);
  });

  it("fails if the file does not set the variable or is malformed", () => {
    const target = resolveImage({ env: "staging", service: "users-service", tag: "v2" });
    expect(() => setImage(HAND_EDITED, "x.tfvars", target)).toThrow(UsageError);
    expect(() => setImage(HAND_EDITED, "x.tfvars", target)).toThrow(/^x\.tfvars: users_service_image is not set/);
    expect(() => setImage(`${HAND_EDITED}users_service_image = nope\n`, "x.tfvars", target)).toThrow(/^x\.tfvars:5: "users_service_image = nope" is not valid/);
  });

  it("fails if --dir has no tfvars file for the environment", () => {
    const empty = tempDir("empty");
    try {
      expect(() => setImageInFile({ env: "staging", service: "gateway", tag: "v2", dir: empty.dir })).toThrow(
        new RegExp(`^--dir ".*" has no readable staging\\.auto\\.tfvars \\(ENOENT\\); point --dir at the folder holding it$`),
      );
      // A folder of that name is no tfvars file either.
      fs.mkdirSync(path.join(empty.dir, "staging.auto.tfvars"));
      expect(() => setImageInFile({ env: "staging", service: "gateway", tag: "v2", dir: empty.dir })).toThrow(
        new RegExp(`^--dir ".*" has no readable staging\\.auto\\.tfvars \\(not a file\\); point --dir at the folder holding it$`),
      );
    } finally {
      empty.remove();
    }
  });

  it("does not rewrite the file when the value is already set", () => {
    const file = path.join(tmp.dir, "production.auto.tfvars");
    fs.utimesSync(file, new Date(0), new Date(0));
    const current = readTfvars(fs.readFileSync(file, "utf8"), "production.auto.tfvars").get("gateway_image")!;
    const tag = current.includes("@") ? undefined : current.slice(current.lastIndexOf(":") + 1);
    const digest = current.includes("@") ? current.slice(current.indexOf("@") + 1) : undefined;
    const change = setImageInFile({ env: "production", service: "gateway", tag, digest, dir: tmp.dir });
    expect(change.from).toBe(change.to);
    expect(fs.statSync(file).mtimeMs).toBe(0);
  });

  it("keeps every update when runs on one file overlap", async () => {
    const file = path.join(tmp.dir, "staging.auto.tfvars");
    const services = SERVICES.map((s) => s.name);
    const runs = await Promise.all(
      services.map((service, i) => runOps("set-image", ["--env", "staging", "--service", service, "--tag", `v9.9.${i}-concurrent`, "--dir", tmp.dir])),
    );
    expect(runs.map((r) => [r.code, r.stderr])).toEqual(services.map(() => [0, ""]));
    const values = readTfvars(fs.readFileSync(file, "utf8"), "staging");
    services.forEach((service, i) => expect(values.get(imageVariableName(service))).toMatch(new RegExp(`:v9\\.9\\.${i}-concurrent$`)));
    expect(fs.readdirSync(tmp.dir).sort()).toEqual(["production.auto.tfvars", "staging.auto.tfvars"]);
  }, 60_000);

  it("waits for a lock held by a live process, and takes over one whose process is gone", () => {
    const file = path.join(tmp.dir, "staging.auto.tfvars");
    const before = fs.readFileSync(file, "utf8");
    fs.writeFileSync(`${file}.lock`, `${process.pid}\n`);
    expect(() => setImageInFile({ env: "staging", service: "gateway", tag: "v2", dir: tmp.dir }, { timeoutMs: 150, pollMs: 20 })).toThrow(
      new RegExp(`^.*staging\\.auto\\.tfvars\\.lock is held by process ${process.pid} for over 150 ms; wait for it`),
    );
    expect(fs.readFileSync(file, "utf8")).toBe(before);

    const gone = spawnSync(process.execPath, ["-e", ""]).pid!;
    fs.writeFileSync(`${file}.lock`, `${gone}\n`);
    expect(setImageInFile({ env: "staging", service: "gateway", tag: "v2", dir: tmp.dir }, { timeoutMs: 150 }).to).toBe(`${STAGING_REGISTRY}/mesh:v2`);
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  it("replaces the file in one rename, so a reader never sees half of it", () => {
    const file = path.join(tmp.dir, "staging.auto.tfvars");
    const inode = fs.statSync(file).ino;
    setImageInFile({ env: "staging", service: "gateway", tag: "v3", dir: tmp.dir });
    expect(fs.statSync(file).ino).not.toBe(inode);
  });
});
