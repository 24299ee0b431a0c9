import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

interface RunTmpdir {
  readonly dir: string;
  readonly shared: string;
}

// What the global setup and teardown of every jest run do (jest.config.js).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tmpdir = require("../scripts/jest-tmpdir") as {
  create: (base: string) => RunTmpdir;
  remove: (state: RunTmpdir) => string[];
  assertNothingLeft: (left: readonly string[]) => void;
};

describe("the temp directory of a test run", () => {
  let base: string;
  beforeEach(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), "tmpdir-test-"));
  });
  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  it("is a fresh, empty folder, removed at the end", () => {
    const state = tmpdir.create(base);
    expect(path.dirname(state.dir)).toBe(base);
    expect(fs.readdirSync(state.dir)).toEqual([]);
    expect(tmpdir.remove(state)).toEqual([]);
    expect(fs.existsSync(state.dir)).toBe(false);
    expect(() => tmpdir.assertNothingLeft([])).not.toThrow();
  });

  it("has a shared folder beside it, removed with it, whose contents are not counted as left behind", () => {
    const state = tmpdir.create(base);
    expect(state.shared).toBe(`${state.dir}-shared`);
    fs.mkdirSync(path.join(state.shared, "synth-0123456789abcdef"));
    expect(tmpdir.remove(state)).toEqual([]);
    expect(fs.existsSync(state.shared)).toBe(false);
  });

  it("fails the run when a test leaves something in it, and removes it anyway", () => {
    const state = tmpdir.create(base);
    fs.mkdirSync(path.join(state.dir, "policy-app-x"));
    fs.writeFileSync(path.join(state.dir, "cdktf.outdir.abc123"), "");
    const left = tmpdir.remove(state);
    expect(left).toEqual(["cdktf.outdir.abc123", "policy-app-x"]);
    expect(fs.existsSync(state.dir)).toBe(false);
    expect(() => tmpdir.assertNothingLeft(left)).toThrow(
      /^tests left 2 entries in the temp directory \(cdktf\.outdir\.abc123, policy-app-x\); remove what a test creates in afterEach\/afterAll$/,
    );
  });
});
