import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SERVICES, servicesOf } from "../../catalog";
import { staging } from "../../environments";
import { imageVariableName } from "../../lib/naming";
import { renderTfvars, setTfvar } from "../../lib/tfvars";
import { outputLines, planBuilds } from "../../ops/build-plan";
import { OperationError, UsageError } from "../../ops/cli";
import { lines, runOps, tempDir } from "./run";

const REGISTRY = "us-east4-docker.pkg.dev/mindmirror-69/mindmirror";

function git(dir: string, ...args: string[]): string {
  return execFileSync("git", ["-C", dir, "-c", "user.name=ops test", "-c", "user.email=ops@example.invalid", "-c", "commit.gpgsign=false", ...args], {
    encoding: "utf8",
    env: { ...process.env, GIT_CONFIG_GLOBAL: os.devNull, GIT_CONFIG_NOSYSTEM: "1" },
  }).trim();
}

function write(root: string, file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), text);
}

function commit(root: string, message: string): string {
  git(root, "add", "-A");
  git(root, "commit", "-q", "-m", message);
  return git(root, "rev-parse", "--short", "HEAD");
}

/** A monorepo like the real one: every image's build inputs, VERSION, and infra/environments/. */
function monorepo(): { root: string; tfvars: string; remove: () => void; base: string } {
  const tmp = tempDir("build-plan");
  const root = tmp.dir;
  git(root, "init", "-q");
  write(root, "VERSION", "1.2.0\n");
  for (const { build } of SERVICES) for (const input of build.inputs) write(root, path.join(input, "main.py"), `# ${input}\n`);
  write(root, "README.md", "app\n");
  const base = commit(root, "app");
  const tfvars = path.join(root, "infra", "environments", "staging.auto.tfvars");
  write(root, "infra/environments/staging.auto.tfvars", renderTfvars(SERVICES.map((s) => [imageVariableName(s.name), `${REGISTRY}/${s.image}:v1.2.0-${base}`] as const)));
  commit(root, "deploy");
  return { root, tfvars, remove: tmp.remove, base };
}

const plan = (root: string, tfvars: string, stack: "services" | "gateway", commitRef = "HEAD") =>
  planBuilds({ env: staging, stack, root, commit: commitRef, tfvars: fs.readFileSync(tfvars, "utf8"), tfvarsName: "staging.auto.tfvars" });

/** A copy of `template`, history included: what `monorepo()` builds, without running git again. */
function copyOf(template: ReturnType<typeof monorepo>): ReturnType<typeof monorepo> {
  const tmp = tempDir("build-plan");
  fs.cpSync(template.root, tmp.dir, { recursive: true });
  return { root: tmp.dir, tfvars: path.join(tmp.dir, path.relative(template.root, template.tfvars)), remove: tmp.remove, base: template.base };
}

describe("build-plan", () => {
  let template: ReturnType<typeof monorepo>;
  let repo: ReturnType<typeof monorepo>;
  beforeAll(() => (template = monorepo()));
  afterAll(() => template.remove());
  beforeEach(() => (repo = copyOf(template)));
  afterEach(() => repo.remove());

  it("builds nothing on a push that changes no build input, and keeps every image", () => {
    write(repo.root, "README.md", "docs only\n");
    write(repo.root, "infra/main.ts", "// infrastructure only\n");
    commit(repo.root, "docs and infra");
    for (const stack of ["services", "gateway"] as const) {
      const result = plan(repo.root, repo.tfvars, stack);
      expect(result.build).toEqual([]);
      expect(result.reasons.every((r) => r.includes(`keep v1.2.0-${repo.base} (no build input changed since ${repo.base})`))).toBe(true);
      expect(outputLines(result)).toContain("build=false");
    }
  });

  it("builds exactly the images whose folder or shared sources changed, tagged with the commit", () => {
    write(repo.root, "journal_service/main.py", "# changed\n");
    const head = commit(repo.root, "journal");
    const result = plan(repo.root, repo.tfvars, "services");
    expect(result.tag).toBe(`v1.2.0-${head}`);
    expect(result.build).toEqual([{ service: "journal-service", image: "journal_service", dockerfile: "journal_service/Dockerfile", context: "." }]);
    expect(outputLines(result)).toEqual([
      `tag=v1.2.0-${head}`,
      `commit=${git(repo.root, "rev-parse", "HEAD")}`,
      "build=true",
      "services=journal-service",
      `matrix={"include":[{"service":"journal-service","image":"journal_service","dockerfile":"journal_service/Dockerfile","context":"."}]}`,
    ]);
    // The gateway's schema is fetched from the backends at build time: a backend's change rebuilds it.
    expect(plan(repo.root, repo.tfvars, "gateway").build.map((b) => b.image)).toEqual(["mesh"]);

    write(repo.root, "src/shared/util.py", "# shared\n");
    commit(repo.root, "shared");
    expect(plan(repo.root, repo.tfvars, "services").build.map((b) => b.image)).toEqual(servicesOf(SERVICES, "services").map((s) => s.image));
  });

  it("rebuilds only the gateway when only mesh/ changed", () => {
    write(repo.root, "mesh/main.py", "# new schema\n");
    commit(repo.root, "mesh");
    expect(plan(repo.root, repo.tfvars, "services").build).toEqual([]);
    expect(plan(repo.root, repo.tfvars, "gateway").build.map((b) => b.service)).toEqual(["gateway"]);
  });

  it("keeps an image already tagged with this commit (a re-run) and builds one whose commit is unknown", () => {
    write(repo.root, "journal_service/main.py", "# changed\n");
    const head = commit(repo.root, "journal");
    let text = fs.readFileSync(repo.tfvars, "utf8");
    text = setTfvar(text, "t", "journal_service_image", `${REGISTRY}/journal_service:v1.2.0-${head}`);
    text = setTfvar(text, "t", "users_service_image", `${REGISTRY}/users_service:v1.0.0-abcdef0`);
    text = setTfvar(text, "t", "meals_service_image", `${REGISTRY}/meals_service@sha256:${"0".repeat(64)}`);
    fs.writeFileSync(repo.tfvars, text);
    const result = plan(repo.root, repo.tfvars, "services");
    expect(result.build.map((b) => b.image)).toEqual(["meals_service", "users_service"]);
    expect(result.reasons).toContain(`journal_service: keep v1.2.0-${head} (already this commit's image)`);
    expect(result.reasons).toContain(`users_service: build v1.2.0-${head} (the current image names no commit of this history)`);
  });

  it("plans from the given commit, not the checkout's tip (the gateway follows its services' deploy commit)", () => {
    const deployed = git(repo.root, "rev-parse", "HEAD");
    write(repo.root, "mesh/main.py", "# landed later\n");
    commit(repo.root, "later");
    const result = plan(repo.root, repo.tfvars, "gateway", deployed);
    expect(result.commit).toBe(deployed);
    expect(result.build).toEqual([]);
  });

  it("prints the $GITHUB_OUTPUT lines through its entry point, and why on stderr", async () => {
    write(repo.root, "habits_service/main.py", "# changed\n");
    const head = commit(repo.root, "habits");
    const run = await runOps("build-plan", ["--env", "staging", "--stack", "services", "--dir", path.dirname(repo.tfvars)]);
    expect(run.code).toBe(0);
    expect(lines(run.stdout).slice(0, 4)).toEqual([`tag=v1.2.0-${head}`, `commit=${git(repo.root, "rev-parse", "HEAD")}`, "build=true", "services=habits-service"]);
    expect(lines(run.stderr)).toContain(`habits_service: build v1.2.0-${head} (habits_service/, src/shared/ changed since ${repo.base})`);
  });

  it("fails in one line, exit 2, when VERSION is missing", async () => {
    fs.rmSync(path.join(repo.root, "VERSION"));
    const run = await runOps("build-plan", ["--env", "staging", "--stack", "services", "--dir", path.dirname(repo.tfvars)]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(lines(run.stderr)).toEqual([expect.stringMatching(/^build-plan: VERSION at the repository root \(.*VERSION\) is missing; create it with the release version, e\.g\. 1\.0\.0$/)]);
  });

  it.each([
    ["empty", " \n", /^VERSION at the repository root \(.*VERSION\) is empty; write the release version in it, e\.g\. 1\.0\.0$/],
    ["not a version", "1.0 beta", /^VERSION "1\.0 beta" is not valid; use letters, digits/],
  ])("fails with a usage error when VERSION is %s", (_what, text, message) => {
    fs.writeFileSync(path.join(repo.root, "VERSION"), text);
    expect(() => plan(repo.root, repo.tfvars, "services")).toThrow(UsageError);
    expect(() => plan(repo.root, repo.tfvars, "services")).toThrow(message);
  });

  it("rejects a bad --stack, and a commit that does not exist", async () => {
    const bad = await runOps("build-plan", ["--env", "staging", "--stack", "everything", "--dir", path.dirname(repo.tfvars)]);
    expect([bad.code, lines(bad.stderr)]).toEqual([2, ['build-plan: --stack "everything" is not valid; use services or gateway']]);
    expect(() => plan(repo.root, repo.tfvars, "services", "deadbeef")).toThrow(OperationError);
    expect(() => plan(repo.root, repo.tfvars, "services", "deadbeef")).toThrow(/^--commit "deadbeef" is not a commit of /);
  });
});
