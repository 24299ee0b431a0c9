import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkStacks, findBinary, type CoreBinary } from "../../tofu-check/harness";

/** Bad input to the harness: one clear line each, never a hang. None of these needs a core binary. */
describe("offline OpenTofu check, bad input", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tofu-check-bad-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const script = (name: string, body: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return file;
  };
  const fake = (file: string): CoreBinary => ({ path: file, name: path.basename(file), version: "1.11.0" });

  it("finds nothing when neither tofu nor terraform is on PATH", () => {
    expect(findBinary({ PATH: dir })).toBeUndefined();
  });

  it("prefers tofu over terraform on PATH", () => {
    const bin = path.join(dir, "both");
    fs.mkdirSync(bin);
    for (const name of ["tofu", "terraform"]) {
      fs.writeFileSync(path.join(bin, name), `#!/bin/sh\necho '{"terraform_version":"1.8.2"}'\n`, { mode: 0o755 });
    }
    expect(findBinary({ PATH: bin })).toEqual({ path: path.join(bin, "tofu"), name: "tofu", version: "1.8.2" });
  });

  it("fails in one line on a missing explicit binary, one too old, and one that does not run", () => {
    expect(() => findBinary({ PATH: "", TOFU_CHECK_BINARY: path.join(dir, "nope") })).toThrow(
      new RegExp(`^TOFU_CHECK_BINARY=${dir}/nope does not exist; install OpenTofu \\(https://opentofu.org/docs/intro/install/\\) or put terraform >= 1.6 on PATH$`),
    );
    const old = script("old-tofu", `echo '{"terraform_version":"1.5.7"}'`);
    expect(() => findBinary({ PATH: "", TOFU_CHECK_BINARY: old })).toThrow(/is 1\.5\.7; the check needs 1\.6\.0 or newer: install OpenTofu/);
    const broken = script("broken-tofu", "exit 3");
    expect(() => findBinary({ PATH: "", TOFU_CHECK_BINARY: broken })).toThrow(/broken-tofu version -json failed \(.*\); install OpenTofu/);
  });

  it("fails in one line on a stack folder without cdk.tf.json, or no stack folder", async () => {
    const stacks = path.join(dir, "stacks");
    fs.mkdirSync(path.join(stacks, "services-x"), { recursive: true });
    const binary = fake(script("unused", "exit 1"));
    await expect(checkStacks({ stacksDir: stacks, binary })).rejects.toThrow(`stack folder ${stacks}/services-x has no cdk.tf.json; run npx cdktf synth`);
    await expect(checkStacks({ stacksDir: path.join(dir, "missing"), binary })).rejects.toThrow(/does not exist; run npx cdktf synth first$/);
  });

  it("stops a core command that hangs, and reports it in one line", async () => {
    const stacks = path.join(dir, "hang");
    fs.mkdirSync(path.join(stacks, "s"), { recursive: true });
    fs.writeFileSync(path.join(stacks, "s", "cdk.tf.json"), "{}");
    const hang = fake(script("hang-tofu", "exec sleep 30"));
    const started = Date.now();
    const [report] = await checkStacks({ stacksDir: stacks, binary: hang, timeoutMs: 500, reuseProviders: false });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(report).toMatchObject({ stack: "s", ok: false, failed: "init", diagnostics: ["hang-tofu init did not finish within 0.5 s and was stopped"] });
  });
});
