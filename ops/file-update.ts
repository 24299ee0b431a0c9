/**
 * Read-modify-write of a small file that concurrent runs may edit (the
 * tfvars files: one set-image per built image, a rollback). The update runs
 * under `<file>.lock`, created exclusively, and the result is written to a
 * temporary file beside it and renamed over the original, so a reader sees
 * the old file or the new one, and no run loses another's change.
 */
import * as fs from "node:fs";
import { OperationError } from "./cli";

/** How long to wait for another run's lock, and how often to look. */
export interface LockOptions {
  /** @default 30_000 */
  readonly timeoutMs?: number;
  /** @default 50 */
  readonly pollMs?: number;
}

/**
 * Runs `update` on the current contents of `file` under its lock and writes
 * what it returns (nothing when it returns the same text). Returns the text
 * before and after. A lock whose process is gone is taken over.
 */
export function updateFile(file: string, update: (text: string) => string, options: LockOptions = {}): { before: string; after: string } {
  const release = lock(file, options.timeoutMs ?? 30_000, options.pollMs ?? 50);
  try {
    const before = fs.readFileSync(file, "utf8");
    const after = update(before);
    if (after !== before) writeAtomically(file, after);
    return { before, after };
  } finally {
    release();
  }
}

/** Writes `contents` to a temporary file beside `file`, then renames it over `file`. */
export function writeAtomically(file: string, contents: string | Buffer): void {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    const fd = fs.openSync(temp, "w", fs.statSync(file, { throwIfNoEntry: false })?.mode ?? 0o644);
    try {
      fs.writeFileSync(fd, contents);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw new OperationError(`cannot write ${file}: ${(error as Error).message}`);
  }
}

function lock(file: string, timeoutMs: number, pollMs: number): () => void {
  const lockFile = `${file}.lock`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = fs.openSync(lockFile, "wx");
      fs.writeFileSync(fd, `${process.pid}\n`);
      fs.closeSync(fd);
      return () => fs.rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        throw new OperationError(`cannot create ${lockFile}: ${(error as Error).message}`);
      }
    }
    const holder = Number.parseInt(readOr(lockFile, ""), 10);
    if (Number.isInteger(holder) && !alive(holder)) {
      // Its run died holding it; only the file it would have renamed is lost, never the original.
      fs.rmSync(lockFile, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      throw new OperationError(`${lockFile} is held by process ${Number.isInteger(holder) ? holder : "(unknown)"} for over ${timeoutMs} ms; wait for it, or remove the lock if no set-image or rollback is running`);
    }
    sleep(pollMs);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readOr(file: string, fallback: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return fallback;
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
