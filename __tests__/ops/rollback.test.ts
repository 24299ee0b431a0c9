import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { staging } from "../../environments";
import { OperationError, UsageError } from "../../ops/cli";
import { checkImages, describeRollback, diffImages, gcloudImageLookup, rollback } from "../../ops/rollback";
import { SERVICES } from "../../catalog";
import { imageVariableName } from "../../lib/naming";
import { renderTfvars, setTfvar } from "../../lib/tfvars";
import { lines, ROOT, runOps, tempDir } from "./run";

const REGISTRY = "us-east4-docker.pkg.dev/mindmirror-69/mindmirror";
/** An image lookup that finds every image. */
const present = () => true;

/**
 * A `gcloud` on PATH that answers `artifacts docker images describe <ref>`:
 * NOT_FOUND for the refs in FAKE_GCLOUD_MISSING, PERMISSION_DENIED for the
 * refs in FAKE_GCLOUD_DENIED, else a digest.
 */
function fakeGcloud(dir: string): string {
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(
    path.join(bin, "gcloud"),
    [
      "#!/bin/sh",
      'ref="$5"',
      'for m in $FAKE_GCLOUD_MISSING; do [ "$m" = "$ref" ] && { echo "ERROR: (gcloud.artifacts.docker.images.describe) NOT_FOUND: Requested entity was not found." >&2; exit 1; }; done',
      'for m in $FAKE_GCLOUD_DENIED; do [ "$m" = "$ref" ] && { echo "ERROR: (gcloud.artifacts.docker.images.describe) PERMISSION_DENIED: denied" >&2; exit 1; }; done',
      'echo "sha256:0000"',
    ].join("\n"),
    { mode: 0o755 },
  );
  return bin;
}
/** A known-good staging file of this test's own: the committed one changes with every deploy. */
const ORIGINAL = renderTfvars(
  SERVICES.map((s) => [imageVariableName(s.name), `${REGISTRY}/${s.image}:${s.stack === "gateway" ? "v1.0.0-1111111" : "v1.0.0-0000000"}`] as const),
  "# Images deployed to staging.",
);

/** git in the test repository only, isolated from the user's and the system's git config. */
function git(dir: string, ...args: string[]): string {
  return execFileSync("git", ["-C", dir, "-c", "user.name=ops test", "-c", "user.email=ops@example.invalid", "-c", "commit.gpgsign=false", ...args], {
    encoding: "utf8",
    env: { ...process.env, GIT_CONFIG_GLOBAL: os.devNull, GIT_CONFIG_NOSYSTEM: "1" },
  });
}

function commitAll(repo: string, message: string, tag?: string): void {
  git(repo, "add", "-A");
  git(repo, "commit", "-q", "-m", message);
  if (tag) git(repo, "tag", tag);
}

describe("rollback", () => {
  let tmp: ReturnType<typeof tempDir>;
  let repo: string;
  let envDir: string;
  let stagingFile: string;
  let deployed: string;
  let bin: string;

  beforeAll(() => {
    tmp = tempDir("rollback");
    repo = path.join(tmp.dir, "repo");
    fs.mkdirSync(repo);
    bin = fakeGcloud(tmp.dir);
    envDir = path.join(repo, "environments");
    stagingFile = path.join(envDir, "staging.auto.tfvars");
    git(repo, "init", "-q");
    fs.mkdirSync(envDir);
    fs.writeFileSync(stagingFile, ORIGINAL);
    commitAll(repo, "known good", "good");

    let next = setTfvar(ORIGINAL, "staging", "agent_service_image", `${REGISTRY}/agent_service:v2.0.0-aaaaaaa`);
    next = setTfvar(next, "staging", "gateway_image", `${REGISTRY}/mesh:v2.0.0-bbbbbbb`);
    deployed = next;
    fs.writeFileSync(stagingFile, deployed);
    fs.copyFileSync(path.join(ROOT, "environments", "production.auto.tfvars"), path.join(envDir, "production.auto.tfvars"));
    commitAll(repo, "deploy v2");

    fs.writeFileSync(stagingFile, setTfvar(deployed, "staging", "gateway_image", `${REGISTRY}/mesh:bad tag`));
    commitAll(repo, "broken by hand", "broken");

    fs.writeFileSync(stagingFile, deployed);
    commitAll(repo, "fix");
  });
  afterAll(() => tmp.remove());
  beforeEach(() => git(repo, "checkout", "-q", "--", "environments"));

  it("restores the file from the ref, prints the image changes, and does not commit", async () => {
    const head = git(repo, "rev-parse", "HEAD");
    const good = git(repo, "rev-parse", "good").trim();

    const run = await runOps("rollback", ["--env", "staging", "--to", "good", "--dir", envDir], "", { PATH: `${bin}:${process.env.PATH}` });

    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(lines(run.stdout)).toEqual([
      `environments/staging.auto.tfvars restored from good (${good.slice(0, 7)}): 2 image(s) changed`,
      `  agent_service_image: ${REGISTRY}/agent_service:v2.0.0-aaaaaaa -> ${REGISTRY}/agent_service:v1.0.0-0000000`,
      `  gateway_image: ${REGISTRY}/mesh:v2.0.0-bbbbbbb -> ${REGISTRY}/mesh:v1.0.0-1111111`,
    ]);
    expect(fs.readFileSync(stagingFile, "utf8")).toBe(ORIGINAL);
    expect(git(repo, "rev-parse", "HEAD")).toBe(head);
    expect(git(repo, "status", "--porcelain")).toBe(" M environments/staging.auto.tfvars\n");
  });

  it("fails with exit 2 and one line for an unknown ref, leaving the file alone", async () => {
    const run = await runOps("rollback", ["--env", "staging", "--to", "no-such-ref", "--dir", envDir]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(lines(run.stderr)).toEqual([
      'rollback: --to "no-such-ref" is not a commit in this repository; use a commit, tag or branch, e.g. HEAD~1',
    ]);
    expect(fs.readFileSync(stagingFile, "utf8")).toBe(deployed);
  });

  it("rolls back one commit with HEAD~1 style refs", () => {
    const result = rollback({ env: "staging", to: "HEAD~3", dir: envDir }, present);
    expect(result.written).toBe(true);
    expect(result.changes.map((c) => c.variable)).toEqual(["agent_service_image", "gateway_image"]);
  });

  it("fails if the file does not exist at the ref", () => {
    expect(() => rollback({ env: "production", to: "good", dir: envDir }, present)).toThrow(UsageError);
    expect(() => rollback({ env: "production", to: "good", dir: envDir }, present)).toThrow(
      /^--to "good" \([0-9a-f]{7}\) has no environments\/production\.auto\.tfvars; pick a commit that has it \(git log -- environments\/production\.auto\.tfvars\)$/,
    );
  });

  it("fails if the file at the ref is not deployable, and writes nothing", () => {
    expect(() => rollback({ env: "staging", to: "broken", dir: envDir }, present)).toThrow(
      /^--to "broken" is not deployable: environments\/staging\.auto\.tfvars at [0-9a-f]{7}: gateway_image ".*mesh:bad tag" is not valid \(use .*\/mesh:<tag> or .*\); pick another commit$/,
    );
    expect(fs.readFileSync(stagingFile, "utf8")).toBe(deployed);
  });

  it("reports nothing to do when the file already matches the ref", () => {
    const result = rollback({ env: "staging", to: "HEAD", dir: envDir }, present);
    expect(result).toMatchObject({ file: "environments/staging.auto.tfvars", written: false, changes: [] });
    expect(describeRollback("HEAD", result)).toEqual([`environments/staging.auto.tfvars already matches HEAD (${result.commit.slice(0, 7)}); nothing changed`]);
  });

  it("restores a deleted file and shows every image as new", () => {
    fs.rmSync(stagingFile);
    const result = rollback({ env: "staging", to: "good", dir: envDir }, present);
    expect(result.note).toBe("environments/staging.auto.tfvars did not exist");
    expect(result.changes).toHaveLength(8);
    expect(result.changes[0]).toEqual({ variable: "agent_service_image", from: undefined, to: `${REGISTRY}/agent_service:v1.0.0-0000000` });
    expect(describeRollback("good", result)[2]).toBe(`  agent_service_image: (unset) -> ${REGISTRY}/agent_service:v1.0.0-0000000`);
    expect(fs.readFileSync(stagingFile, "utf8")).toBe(ORIGINAL);
  });

  it.each([
    [{ to: "HEAD" }, UsageError, /^--env is required/],
    [{ env: "staging" }, UsageError, /^--to is required; give the commit to restore from, e.g\. --to HEAD~1$/],
    [{ env: "staging", to: "--all" }, UsageError, /^--to "--all" is not a git ref/],
    [{ env: "staging", to: "HEAD", dir: "/nonexistent/environments" }, UsageError, /^--dir "\/nonexistent\/environments" does not exist/],
  ])("fails if the flags are %j", (flags, type, message) => {
    expect(() => rollback(flags, present)).toThrow(type);
    expect(() => rollback(flags, present)).toThrow(message);
  });

  it("fails with an operation error outside a git work tree", () => {
    const outside = tempDir("not-a-repo");
    try {
      expect(() => rollback({ env: "staging", to: "HEAD", dir: outside.dir }, present)).toThrow(OperationError);
      expect(() => rollback({ env: "staging", to: "HEAD", dir: outside.dir }, present)).toThrow(/^--dir ".*" is not inside a git work tree \(git rev-parse --show-prefix failed: fatal: not a git repository/);
    } finally {
      outside.remove();
    }
  });

  it("checks a restored file as synth would: every service present, valid and known", () => {
    expect(checkImages(staging, ORIGINAL, "f").size).toBe(8);
    const text = [
      ORIGINAL.replace(/^users_service_image.*\n/m, "").replace("mindmirror-69/mindmirror/mesh", "mindmirror-prod/mindmirror/mesh"),
      'old_service_image = "x"',
    ].join("");
    expect(() => checkImages(staging, text, "f")).toThrow(
      /^f: users_service_image is missing; gateway_image ".*mindmirror-prod\/mindmirror\/mesh:v1\.0\.0-1111111" is not valid \(use .*mindmirror-69\/mindmirror\/mesh:<tag> .*\); old_service_image is not an image variable of any service$/,
    );
  });

  it("lists differences in catalog order, then variables the catalog does not know", () => {
    const before = new Map([["x_image", "a"], ["gateway_image", "g1"], ["agent_service_image", "a1"]]);
    const after = new Map([["gateway_image", "g2"], ["agent_service_image", "a2"], ["habits_service_image", "h"]]);
    expect(diffImages(before, after)).toEqual([
      { variable: "agent_service_image", from: "a1", to: "a2" },
      { variable: "habits_service_image", from: undefined, to: "h" },
      { variable: "gateway_image", from: "g1", to: "g2" },
      { variable: "x_image", from: "a", to: undefined },
    ]);
  });

  describe("checks that each image it would restore still exists", () => {
    it("fails with one line naming the missing image, through the real command and gcloud, and writes nothing", async () => {
      const gone = `${REGISTRY}/mesh:v1.0.0-1111111`;
      const run = await runOps("rollback", ["--env", "staging", "--to", "good", "--dir", envDir], "", { PATH: `${bin}:${process.env.PATH}`, FAKE_GCLOUD_MISSING: gone });
      expect(run.code).toBe(2);
      expect(lines(run.stderr)).toEqual([
        expect.stringMatching(new RegExp(`^rollback: --to "good" \\([0-9a-f]{7}\\) names images the registry no longer has: gateway_image ${gone.replace(/[.]/g, "\\.")}; pick a later commit \\(git log -- environments/staging\\.auto\\.tfvars\\)$`)),
      ]);
      expect(fs.readFileSync(stagingFile, "utf8")).toBe(deployed);
    });

    it("asks only about the images it changes", () => {
      const asked: string[] = [];
      rollback({ env: "staging", to: "good", dir: envDir }, (ref) => (asked.push(ref), true));
      expect(asked).toEqual([`${REGISTRY}/agent_service:v1.0.0-0000000`, `${REGISTRY}/mesh:v1.0.0-1111111`]);
    });

    it("skips the check with --image-check off, and refuses another mode", () => {
      expect(rollback({ env: "staging", to: "good", dir: envDir, "image-check": "off" }, () => false).written).toBe(true);
      expect(() => rollback({ env: "staging", to: "good", dir: envDir, "image-check": "maybe" })).toThrow(/^--image-check "maybe" is not a mode; use gcloud or off$/);
    });

    it("reads gcloud's answer: found, NOT_FOUND, or an error that leaves it unknown", () => {
      const gcloud = path.join(bin, "gcloud");
      fs.writeFileSync(path.join(bin, "with-env"), `#!/bin/sh\nFAKE_GCLOUD_MISSING="${REGISTRY}/a:v1" FAKE_GCLOUD_DENIED="${REGISTRY}/b:v1" exec ${gcloud} "$@"\n`, { mode: 0o755 });
      const ask = gcloudImageLookup(path.join(bin, "with-env"));
      expect(ask(`${REGISTRY}/c:v1`)).toBe(true);
      expect(ask(`${REGISTRY}/a:v1`)).toBe(false);
      expect(() => ask(`${REGISTRY}/b:v1`)).toThrow(OperationError);
      expect(() => ask(`${REGISTRY}/b:v1`)).toThrow(/failed: ERROR: \(gcloud\.artifacts\.docker\.images\.describe\) PERMISSION_DENIED/);
      expect(() => gcloudImageLookup(path.join(tmp.dir, "no-bin", "gcloud"))(`${REGISTRY}/c:v1`)).toThrow(
        /^gcloud is not installed, so the restored images cannot be checked; install it, or pass --image-check off$/,
      );
    });
  });
});
