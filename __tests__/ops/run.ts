/**
 * Runs an ops command through its real entry point, as a workflow would
 * (`runOps`), or the same command in this process (`runInProcess`: what the
 * entry point runs, with argv, stdin, stdout and stderr passed in), which
 * spares a node start per case. Each command keeps child-process cases for
 * what only the entry point does: the exit code, the one stderr line, and
 * MINDMIRROR_DEBUG. Asynchronous on purpose: the health-check tests serve
 * HTTP from this same process, which a blocking spawn would starve.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Readable } from "node:stream";
import { type Command, runCommand } from "../../ops/cli";

/** The repository root, where `ops/` lives. */
export const ROOT = path.resolve(__dirname, "..", "..");

/** What a command run produced. */
export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The node arguments of `npm run <command>` (package.json: `node --require ./scripts/swc-register.cjs ops/<command>.ts`). */
function scriptArgs(command: string): string[] {
  const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  const [node, ...args] = (scripts[command] ?? "").split(" ");
  if (node !== "node" || !args.includes(path.join("ops", `${command}.ts`))) throw new Error(`package.json has no script "${command}" running ops/${command}.ts`);
  return args;
}

/** Runs `npm run -s <command> -- ...args` without npm (one process less), feeding `input` on stdin. */
export function runOps(command: string, args: readonly string[], input = "", env: Readonly<Record<string, string>> = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [...scriptArgs(command), ...args],
      { cwd: ROOT, timeout: 20_000, env: { ...withoutDebug(process.env), ...env } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    child.stdin?.end(input);
  });
}

/**
 * Runs `npm run -s <command> -- ...args` in this process, feeding `input` on
 * stdin: the command's exported `command`, as its entry point runs it
 * (without MINDMIRROR_DEBUG), writing each line with a newline as it does.
 */
export async function runInProcess(command: string, args: readonly string[], input = ""): Promise<RunResult> {
  scriptArgs(command);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { command: entry } = require(path.join(ROOT, "ops", `${command}.ts`)) as { command?: Command<string> };
  if (entry === undefined || entry.spec.name !== command) throw new Error(`ops/${command}.ts exports no command named ${command}`);
  let stdout = "";
  let stderr = "";
  const io = { out: (line: string) => (stdout += `${line}\n`), err: (line: string) => (stderr += `${line}\n`), stdin: Readable.from([Buffer.from(input)]) };
  const code = await runCommand(entry.spec, args, entry.action, io, { debug: false });
  return { code, stdout, stderr };
}

/** The non-empty lines of an output. */
export function lines(text: string): string[] {
  return text.split("\n").filter((line) => line !== "");
}

/** A fresh temporary folder, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ops-${prefix}-`));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function withoutDebug(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy.MINDMIRROR_DEBUG;
  return copy;
}
