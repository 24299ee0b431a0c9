/**
 * What every ops command shares: flag parsing with `--help` (node:util
 * parseArgs under our command specs), the exit codes scripts rely on, the
 * one-line error printer, and the lookups of the flags several commands take
 * (`--env`, `--service`).
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { SERVICES, type ServiceDefinition } from "../catalog";
import { ENVIRONMENTS, type EnvironmentConfig } from "../environments";

/** Exit codes of every ops command. */
export const EXIT = {
  /** The command did what it was asked. */
  ok: 0,
  /** The operation was attempted and failed (a health check, git, a write). */
  failed: 1,
  /** Bad input: a flag, or the file or JSON a flag points to. Nothing was changed. */
  usage: 2,
} as const;

/** Bad input; the command exits {@link EXIT.usage} and changes nothing. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** The operation itself failed; the command exits {@link EXIT.failed}. */
export class OperationError extends Error {
  override readonly name = "OperationError";
}

/** One `--flag <value>` of a command. */
export interface OptionSpec {
  /** Placeholder shown in help: `<env>`. */
  readonly value: string;
  /** One line saying what it does. */
  readonly description: string;
  /**
   * The value taken when the flag is not given, and shown in help unless
   * `defaultLabel` says it in words. Written here only: the command applies
   * it with {@link withDefaults}.
   * @default - none: the flag is required or optional without a default
   */
  readonly default?: string;
  /**
   * What help shows as the default, where the value itself would say less
   * (`the repository's environments/`) or the command works it out (`stdin`).
   * @default - the `default` value itself
   */
  readonly defaultLabel?: string;
}

/** Everything `--help` prints and the parser accepts. */
export interface CommandSpec<K extends string> {
  /** Command name, also the prefix of every error line: `set-image`. */
  readonly name: string;
  /** Flags after the command name, as in a usage line. */
  readonly usage: string;
  /** What the command does, a few lines. */
  readonly summary: string;
  /** The flags, by name without `--`; `--help` is always added. */
  readonly options: { readonly [key in K]: OptionSpec };
  /** What exit codes 1 and 2 mean for this command. */
  readonly exitCodes: { readonly failed: string; readonly usage: string };
}

/** Parsed flags: each given flag's value, by name without `--`. */
export type Flags<K extends string> = { readonly [key in K]?: string };

/** What a command reads when it is not given a file: stdin. */
export interface Input extends AsyncIterable<Buffer | string> {
  /** Set when it is a terminal, which the commands refuse to wait on. */
  readonly isTTY?: boolean;
}

/** Where a command writes, and the stdin it reads; the entry point passes the process's own. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
  /** @default process.stdin */
  readonly stdin?: Input;
}

/** A command's work on parsed flags; it may return an exit code of its own. */
export type Action<K extends string> = (flags: Flags<K>, io: Output) => void | number | Promise<void | number>;

/** A whole command: what its script's entry point runs, and what tests run in process through {@link runCommand}. */
export interface Command<K extends string> {
  readonly spec: CommandSpec<K>;
  readonly action: Action<K>;
}

/**
 * Parses `argv` (without node and the script) with node:util parseArgs into
 * the flags given; `undefined` means `--help` was asked for. Every flag takes
 * a value; the first problem, left to right, is a UsageError. Commands take
 * their defaults with {@link withDefaults}, since they are also called with
 * flags that never passed through here.
 */
export function parseFlags<K extends string>(spec: CommandSpec<K>, argv: readonly string[]): Flags<K> | undefined {
  if (argv.includes("--help") || argv.includes("-h")) return undefined;
  const known = Object.keys(spec.options) as K[];
  const options = Object.fromEntries(known.map((key) => [key, { type: "string" as const }]));
  // Not strict: the problems are reported below, in our words, in the order they appear.
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const flags: Partial<Record<K, string>> = {};
  for (const token of tokens) {
    if (token.kind === "option-terminator") throw new UsageError(`-- is not an option of ${spec.name}; use ${knownList(known)}`);
    if (token.kind === "positional" || !token.rawName.startsWith("--")) {
      throw new UsageError(`${JSON.stringify(argv[token.index])} is not an option; use ${knownList(known)}`);
    }
    if (!(known as string[]).includes(token.name)) {
      throw new UsageError(`--${token.name} is not an option of ${spec.name}; use ${knownList(known)}`);
    }
    const key = token.name as K;
    // A following flag means the value was forgotten; taking the flag as the value would hide that.
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith("--"))) {
      throw new UsageError(`--${key} needs a value; use --${key} ${spec.options[key].value}`);
    }
    if (flags[key] !== undefined) {
      throw new UsageError(`--${key} is given twice (${JSON.stringify(flags[key])}, ${JSON.stringify(token.value)}); give it once`);
    }
    flags[key] = token.value;
  }
  return flags;
}

/** `flags` with the spec's default of each flag not given; what a command applies its flags through. */
export function withDefaults<K extends string>(spec: CommandSpec<K>, flags: Flags<K>): Flags<K> {
  const filled: Partial<Record<K, string>> = { ...flags };
  for (const key of Object.keys(spec.options) as K[]) {
    const fallback = spec.options[key].default;
    if (filled[key] === undefined && fallback !== undefined) filled[key] = fallback;
  }
  return filled;
}

/** The text `--help` prints. */
export function helpText<K extends string>(spec: CommandSpec<K>): string {
  const rows: [string, string][] = (Object.keys(spec.options) as K[]).map((key) => {
    const o = spec.options[key];
    const shown = o.defaultLabel ?? o.default;
    return [`--${key} ${o.value}`, shown === undefined ? o.description : `${o.description} (default: ${shown})`];
  });
  rows.push(["--help", "print this help and exit"]);
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return [
    `Usage: npm run -s ${spec.name} -- ${spec.usage}`,
    "",
    spec.summary,
    "",
    "Options:",
    ...rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`),
    "",
    "Exit codes:",
    `  ${EXIT.ok}  success`,
    `  ${EXIT.failed}  ${spec.exitCodes.failed}`,
    `  ${EXIT.usage}  ${spec.exitCodes.usage}`,
    "",
    "Every error is one line on stderr naming the flag (or file), the bad value and what is allowed.",
    "",
  ].join("\n");
}

/** The single stderr line an error becomes: `set-image: <message>`. */
export function errorLine(command: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `${command}: ${message.trim().replace(/\s*\n\s*/g, " ")}`;
}

/** The exit code an error maps to. */
export function exitCodeOf(error: unknown): number {
  return error instanceof UsageError ? EXIT.usage : EXIT.failed;
}

/**
 * Parses `argv`, runs `action`, and returns the exit code; every error
 * becomes one line on `io.err`. `action` may return a code of its own
 * (health-check returns 1 when the service never answered).
 */
export async function runCommand<K extends string>(
  spec: CommandSpec<K>,
  argv: readonly string[],
  action: Action<K>,
  io: Output,
  options: { readonly debug?: boolean } = {},
): Promise<number> {
  try {
    const flags = parseFlags(spec, argv);
    if (flags === undefined) {
      io.out(helpText(spec));
      return EXIT.ok;
    }
    return (await action(flags, io)) ?? EXIT.ok;
  } catch (error) {
    io.err(errorLine(spec.name, error));
    if (options.debug === true && error instanceof Error && error.stack) io.err(error.stack);
    return exitCodeOf(error);
  }
}

/** All of `io`'s stdin as text; a terminal is bad input (`ifTerminal` says what to do instead). */
export async function readStdin(io: Output, ifTerminal: string): Promise<string> {
  const stdin = io.stdin ?? process.stdin;
  if (stdin.isTTY) throw new UsageError(ifTerminal);
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}

/** Set to 1 to print the stack trace after an error's line (commands and synth alike). */
export const DEBUG_VARIABLE = "MINDMIRROR_DEBUG";

/** Entry point of a command script: runs it on `process.argv` and sets the exit code. */
export function main<K extends string>({ spec, action }: Command<K>): void {
  const io: Output = { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`), stdin: process.stdin };
  const debug = process.env[DEBUG_VARIABLE] === "1";
  // exitCode, not exit(): exit() can cut off output still buffered for a pipe.
  void runCommand(spec, process.argv.slice(2), action, io, { debug }).then((code) => {
    process.exitCode = code;
  });
}

/** The repository's `environments/` folder, where the pipeline's tfvars files live. */
export const ENVIRONMENTS_DIR = path.join(__dirname, "..", "environments");

/** `--env <env>`: `what` the environment is, then the environments there are. */
export function envOption(what: string): OptionSpec {
  return { value: "<env>", description: `${what}: ${ENVIRONMENTS.map((e) => e.name).join(" or ")}` };
}

/** `--service <name>`: a catalog service, `example` showing which. */
export function serviceOption(example: string): OptionSpec {
  return { value: "<name>", description: `catalog service name, e.g. ${example}` };
}

/** `--dir <folder>`: the folder holding `what`, by default the repository's environments/. */
export function dirOption(what: string): OptionSpec {
  return { value: "<folder>", description: `folder ${what}`, default: ENVIRONMENTS_DIR, defaultLabel: "the repository's environments/" };
}

/** The value of a flag the command cannot do without. */
export function required<K extends string>(flags: Flags<K>, key: K, allowed: string): string {
  const value = flags[key];
  if (value === undefined) throw new UsageError(`--${key} is required; ${allowed}`);
  return value;
}

/** The environment `--env` names. */
export function findEnvironment(name: string | undefined): EnvironmentConfig {
  const names = ENVIRONMENTS.map((e) => e.name);
  const allowed = `use ${names.join(" or ")}`;
  if (name === undefined) throw new UsageError(`--env is required; ${allowed}`);
  const env = ENVIRONMENTS.find((e) => e.name === name);
  if (!env) throw new UsageError(`--env ${JSON.stringify(name)} is not an environment; ${allowed}`);
  return env;
}

/** The catalog entry `--service` names. */
export function findService(name: string | undefined): ServiceDefinition {
  const allowed = `use one of ${SERVICES.map((s) => s.name).join(", ")}`;
  if (name === undefined) throw new UsageError(`--service is required; ${allowed}`);
  const service = SERVICES.find((s) => s.name === name);
  if (!service) throw new UsageError(`--service ${JSON.stringify(name)} is not a service; ${allowed}`);
  return service;
}

function knownList(keys: readonly string[]): string {
  return [...keys, "help"].map((k) => `--${k}`).join(", ");
}
