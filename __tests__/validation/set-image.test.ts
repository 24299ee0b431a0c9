/**
 * set-image run in process, as its entry point runs it: the printed line, the
 * exit code, and a write that fails (the pipeline must not commit the old
 * image as if the new one were set).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ENVIRONMENTS_DIR, OperationError, runCommand } from "../../ops/cli";
import { SET_IMAGE, setImageCommand, setImageInFile } from "../../ops/set-image";
import { readTfvars } from "../../lib/tfvars";
import { tempDir } from "../ops/run";

// The tfvars file is only ever replaced by one rename of a finished temporary file (ops/file-update.ts).
jest.mock("node:fs", () => {
  const actual = jest.requireActual<typeof import("node:fs")>("node:fs");
  return { ...actual, renameSync: jest.fn(actual.renameSync) };
});
const renameSync = fs.renameSync as jest.MockedFunction<typeof fs.renameSync>;

const REGISTRY = "us-east4-docker.pkg.dev/mindmirror-69/mindmirror";

/** The flag setting `image` again: its tag or its digest. */
function sameImage(image: string): { tag: string } | { digest: string } {
  const at = image.lastIndexOf("@");
  return at >= 0 ? { digest: image.slice(at + 1) } : { tag: image.slice(image.lastIndexOf(":") + 1) };
}

/** Runs set-image with `argv`; returns the exit code and the lines it printed. */
async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCommand(SET_IMAGE, argv, setImageCommand, { out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, out, err };
}

describe("set-image in process", () => {
  let tmp: ReturnType<typeof tempDir>;
  let file: string;
  let before: string;
  beforeEach(() => {
    tmp = tempDir("set-image-io");
    file = path.join(tmp.dir, "staging.auto.tfvars");
    fs.copyFileSync(path.join(ENVIRONMENTS_DIR, "staging.auto.tfvars"), file);
    before = fs.readFileSync(file, "utf8");
  });
  afterEach(() => {
    renameSync.mockClear();
    tmp.remove();
  });

  it("writes the new image and prints old -> new", async () => {
    const old = readTfvars(before, file).get("gateway_image")!;
    const result = await run("--env", "staging", "--service", "gateway", "--tag", "v9.9.9-abcdef0", "--dir", tmp.dir);
    expect(result).toEqual({ code: 0, out: [`staging gateway_image: ${old} -> ${REGISTRY}/mesh:v9.9.9-abcdef0`], err: [] });
    expect(readTfvars(fs.readFileSync(file, "utf8"), file).get("gateway_image")).toBe(`${REGISTRY}/mesh:v9.9.9-abcdef0`);
    expect(renameSync).toHaveBeenCalledTimes(1);
    expect(renameSync.mock.calls[0][1]).toBe(file);
  });

  it("fails with exit 1 and one line naming the file when the write fails, printing no change", async () => {
    renameSync.mockImplementationOnce(() => {
      throw Object.assign(new Error(`EROFS: read-only file system, open '${file}'`), { code: "EROFS" });
    });
    const result = await run("--env", "staging", "--service", "gateway", "--tag", "v9.9.9-abcdef0", "--dir", tmp.dir);
    expect(result).toEqual({ code: 1, out: [], err: [`set-image: cannot write ${file}: EROFS: read-only file system, open '${file}'`] });
    expect(fs.readFileSync(file, "utf8")).toBe(before);
    // No temporary file or lock is left beside it.
    expect(fs.readdirSync(tmp.dir)).toEqual(["staging.auto.tfvars"]);
    expect(() => {
      renameSync.mockImplementationOnce(() => {
        throw new Error("ENOSPC: no space left on device");
      });
      setImageInFile({ env: "staging", service: "gateway", tag: "v9.9.9-abcdef0", dir: tmp.dir });
    }).toThrow(new OperationError(`cannot write ${file}: ENOSPC: no space left on device`));
  });

  it("says nothing changed, and writes nothing, when the image is already set", async () => {
    const current = readTfvars(before, file).get("journal_service_image")!;
    const [[flag, value]] = Object.entries(sameImage(current));
    const result = await run("--env", "staging", "--service", "journal-service", `--${flag}`, value, "--dir", tmp.dir);
    expect(result).toEqual({ code: 0, out: [`staging journal_service_image: already ${current}; nothing changed`], err: [] });
    expect(renameSync).not.toHaveBeenCalled();
  });

  it("edits the repository's environments/ folder when --dir is not given", () => {
    const real = path.join(ENVIRONMENTS_DIR, "production.auto.tfvars");
    const current = readTfvars(fs.readFileSync(real, "utf8"), real).get("gateway_image")!;
    // The value it already holds: the committed file is read, and left alone.
    expect(setImageInFile({ env: "production", service: "gateway", ...sameImage(current) })).toEqual({ variable: "gateway_image", from: current, to: current });
    expect(renameSync).not.toHaveBeenCalled();
  });

  it("runs nothing when imported, only as a script", async () => {
    const write = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require("../../ops/set-image");
      });
      await new Promise((resolve) => setImmediate(resolve));
      expect(write).not.toHaveBeenCalled();
    } finally {
      write.mockRestore();
    }
  });
});
