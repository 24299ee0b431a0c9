/**
 * The offline OpenTofu check: the real Terraform-language core runs `init`,
 * `validate` and `plan` on copies of the synthesized stack folders, against
 * the real provider schemas, with no network and no cloud.
 *
 * The providers are our plugin (`provider.js`), installed through a CLI
 * configuration whose only installation method is a `filesystem_mirror`, so
 * the core starts it exactly as it starts a downloaded provider (go-plugin
 * handshake, AutoMTLS, protocol 6). Each stack gets a local backend through
 * an override file; its own `*.auto.tfvars` load as usual.
 *
 * `init` installs the plugin from the mirror, as the pipeline's init installs
 * the real providers. `validate` and `plan` then reattach to one plugin
 * process per provider for the whole run (TF_REATTACH_PROVIDERS), which saves
 * the core's second-long plugin start for every command; `reuseProviders:
 * false` keeps the core starting its own, handshake and AutoMTLS included.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadFixtures, type SchemaFixture, TofuCheckError } from "./schemas";

export { TofuCheckError } from "./schemas";

/** The core binary the check runs. */
export interface CoreBinary {
  readonly path: string;
  /** `tofu` or `terraform` */
  readonly name: string;
  readonly version: string;
}

/** The oldest core that reads everything the stacks write (import blocks, `removed`, JSON validation). */
export const MIN_VERSION = "1.6.0";

const INSTALL_HINT = "install OpenTofu (https://opentofu.org/docs/intro/install/) or put terraform >= 1.6 on PATH";

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const versionParts = (v: string) => v.split(".").map((n) => Number.parseInt(n, 10));
function olderThan(a: string, b: string): boolean {
  const [x, y] = [versionParts(a), versionParts(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) < (y[i] ?? 0);
  return false;
}

/**
 * `tofu` when it is on PATH, else `terraform`; `TOFU_CHECK_BINARY` names one
 * explicitly. Undefined when there is none; a binary that is too old or does
 * not run is an error.
 */
export function findBinary(env: NodeJS.ProcessEnv = process.env): CoreBinary | undefined {
  const explicit = env.TOFU_CHECK_BINARY;
  if (explicit !== undefined && explicit !== "" && !fs.existsSync(explicit)) {
    throw new TofuCheckError(`TOFU_CHECK_BINARY=${explicit} does not exist; ${INSTALL_HINT}`);
  }
  const found = explicit || onPath("tofu", env) || onPath("terraform", env);
  if (found === undefined) return undefined;
  let version: string;
  try {
    const out = execFileSync(found, ["version", "-json"], {
      timeout: 10_000,
      encoding: "utf8",
      stdio: "pipe",
      env: { ...env, CHECKPOINT_DISABLE: "1", TF_CLI_CONFIG_FILE: "/dev/null" },
    });
    version = (JSON.parse(out) as { terraform_version: string }).terraform_version;
  } catch (error) {
    throw new TofuCheckError(`${found} version -json failed (${(error as Error).message.split("\n")[0]}); ${INSTALL_HINT}`);
  }
  if (olderThan(version, MIN_VERSION)) throw new TofuCheckError(`${found} is ${version}; the check needs ${MIN_VERSION} or newer: ${INSTALL_HINT}`);
  return { path: found, name: path.basename(found), version };
}

/** What the core said about one stack. */
export interface StackReport {
  readonly stack: string;
  readonly ok: boolean;
  /** The command that failed, when one did. */
  readonly failed?: "init" | "validate" | "plan";
  /** Each diagnostic as `<severity>: <summary>: <detail> (<file>:<line>)`, in the core's words. */
  readonly diagnostics: string[];
  /** From `plan -json`'s change summary. */
  readonly plan?: { readonly import: number; readonly add: number; readonly change: number; readonly remove: number };
  /** Each resource the plan touches, from `plan -json`'s `planned_change` messages (a pure move has action `move`). */
  readonly changes?: readonly PlannedChange[];
  readonly seconds: number;
}

/** One resource in the plan: its address, what happens to it, and the address it moves from. */
export interface PlannedChange {
  readonly address: string;
  readonly action: string;
  readonly previousAddress?: string;
}

export interface CheckOptions {
  /** Folder of stack folders, e.g. `cdktf.out/stacks`. */
  readonly stacksDir: string;
  readonly binary: CoreBinary;
  /** @default only the folders that hold a cdk.tf.json are required; all of them are checked */
  readonly stacks?: string[];
  /** @default tofu-check/schemas */
  readonly fixtures?: SchemaFixture[];
  /** @default the number of CPUs */
  readonly concurrency?: number;
  /** Per core command. @default 120 s */
  readonly timeoutMs?: number;
  /** Reattach `validate` and `plan` to one long-lived plugin per provider. @default true */
  readonly reuseProviders?: boolean;
  /**
   * A local state to plan against, by stack folder name (terraform state
   * JSON, version 4). @default none: every stack plans from an empty state
   */
  readonly states?: Readonly<Record<string, unknown>>;
}

/** Both registries' hosts, so that a source like `google` resolves for tofu and terraform alike. */
const HOSTS = ["registry.terraform.io", "registry.opentofu.org"];

function platform(): string {
  const arch = { x64: "amd64", arm64: "arm64", ia32: "386", arm: "arm" }[process.arch as string] ?? process.arch;
  return `${process.platform}_${arch}`;
}

/** A throwaway certificate for the plugin's side of AutoMTLS (a CA for itself, named localhost, as go-plugin's own). */
function makeCertificate(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  // prettier-ignore
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
    "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"), "-days", "1", "-subj", "/CN=localhost",
    "-addext", "subjectAltName=DNS:localhost", "-addext", "basicConstraints=critical,CA:TRUE",
    "-addext", "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign",
    "-addext", "extendedKeyUsage=serverAuth,clientAuth",
  ], { stdio: "pipe", timeout: 10_000 });
}

/** The mirror, the CLI configuration and the certificate; returns the CLI config path. */
function prepareProviders(root: string, fixtures: SchemaFixture[]): string {
  const tls = path.join(root, "tls");
  makeCertificate(tls);
  const mirror = path.join(root, "mirror");
  const plugin = path.join(__dirname, "provider.js");
  for (const fixture of fixtures) {
    for (const host of HOSTS) {
      const dir = path.join(mirror, host, fixture.sourcePath, fixture.version, platform());
      fs.mkdirSync(dir, { recursive: true });
      const address = `registry.terraform.io/${fixture.sourcePath}`;
      const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
      fs.writeFileSync(
        path.join(dir, `terraform-provider-${fixture.type}_v${fixture.version}`),
        `#!/bin/sh\nexec ${[process.execPath, plugin, "--schema", fixture.file, "--provider", address, "--tls", tls].map(quote).join(" ")}\n`,
        { mode: 0o755 },
      );
    }
  }
  const config = path.join(root, "cli.tfrc");
  // The mirror is the only installation method: a provider it lacks fails init at once, never reaching for the network.
  fs.writeFileSync(config, `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(mirror)}\n  }\n}\n`);
  return config;
}

/** One `--serve` plugin per provider; resolves with TF_REATTACH_PROVIDERS for them, or fails in one line. */
async function startServers(fixtures: SchemaFixture[], children: ChildProcess[], timeoutMs: number): Promise<string> {
  const plugin = path.join(__dirname, "provider.js");
  const reattach: Record<string, unknown> = {};
  await Promise.all(
    fixtures.map(
      (fixture) =>
        new Promise<void>((resolve, reject) => {
          const address = `registry.terraform.io/${fixture.sourcePath}`;
          const child = spawn(process.execPath, [plugin, "--schema", fixture.file, "--provider", address, "--serve"], { stdio: ["pipe", "pipe", "pipe"] });
          children.push(child);
          let out = "";
          let err = "";
          const timer = setTimeout(() => reject(new TofuCheckError(`the ${fixture.type} plugin did not start within ${timeoutMs / 1000} s`)), timeoutMs);
          child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
          child.on("exit", (code) => {
            clearTimeout(timer);
            reject(new TofuCheckError(`the ${fixture.type} plugin exited (${code}) before its handshake: ${err.trim().split("\n")[0]}`));
          });
          child.stdout!.on("data", (d: Buffer) => {
            out += d.toString();
            const line = out.split("\n")[0];
            if (!out.includes("\n")) return;
            clearTimeout(timer);
            const [, protocol, network, addr] = line.split("|");
            const config = { Protocol: "grpc", ProtocolVersion: Number(protocol), Pid: child.pid, Test: true, Addr: { Network: network, String: addr } };
            for (const host of HOSTS) reattach[`${host}/${fixture.sourcePath}`] = config;
            resolve();
          });
        }),
    ),
  );
  return JSON.stringify(reattach);
}

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(binary: CoreBinary, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Run> {
  return new Promise((resolve) => {
    execFile(binary.path, args, { cwd, env, timeout: timeoutMs, killSignal: "SIGKILL", maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      if (error && (error as { killed?: boolean }).killed) {
        resolve({ code: -1, stdout, stderr: `${binary.name} ${args[0]} did not finish within ${timeoutMs / 1000} s and was stopped` });
        return;
      }
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr: error && typeof error.code !== "number" ? String(error.message) : stderr });
    });
  });
}

interface JsonDiagnostic {
  readonly severity: string;
  readonly summary: string;
  readonly detail?: string;
  readonly range?: { readonly filename: string; readonly start: { readonly line: number } };
}

export function formatDiagnostic(d: JsonDiagnostic): string {
  const where = d.range ? ` (${d.range.filename}:${d.range.start.line})` : "";
  const detail = d.detail ? `: ${d.detail.replace(/\s*\n\s*/g, " ").trim()}` : "";
  return `${d.severity}: ${d.summary}${detail}${where}`;
}

/** The core's human output as one line per message, for `init` (which has no JSON output in every version). */
function textDiagnostics(text: string): string[] {
  const lines = text.replace(/\x1b\[[0-9;]*m/g, "").split("\n").map((l) => l.replace(/^[│╷╵]\s?/, "").trimEnd());
  const out: string[] = [];
  let current: string[] | undefined;
  for (const line of lines) {
    if (/^(Error|Warning): /.test(line)) {
      if (current) out.push(current.join(" "));
      current = [line.replace(/^(Error|Warning): /, (_m, s: string) => `${s.toLowerCase()}: `)];
    } else if (current && line.trim() !== "") {
      current.push(line.trim());
    }
  }
  if (current) out.push(current.join(" "));
  return out.length > 0 ? out : [text.trim()];
}

async function checkStack(
  binary: CoreBinary,
  source: string,
  work: string,
  env: NodeJS.ProcessEnv,
  reattach: string | undefined,
  timeoutMs: number,
  state: unknown,
): Promise<StackReport> {
  const stack = path.basename(source);
  const started = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
  fs.mkdirSync(work, { recursive: true });
  for (const entry of fs.readdirSync(source, { withFileTypes: true })) {
    if (entry.isFile()) fs.copyFileSync(path.join(source, entry.name), path.join(work, entry.name));
  }
  // An override file replaces the backend block whole, so the gcs backend is never configured.
  fs.writeFileSync(path.join(work, "offline_override.tf.json"), JSON.stringify({ terraform: { backend: { local: { path: "terraform.tfstate" } } } }));
  if (state !== undefined) fs.writeFileSync(path.join(work, "terraform.tfstate"), JSON.stringify(state));

  const init = await run(binary, ["init", "-input=false", "-no-color"], work, env, timeoutMs);
  if (init.code !== 0) return { stack, ok: false, failed: "init", diagnostics: textDiagnostics(init.stderr || init.stdout), seconds: seconds() };

  if (reattach !== undefined) env = { ...env, TF_REATTACH_PROVIDERS: reattach };
  const validate = await run(binary, ["validate", "-json", "-no-color"], work, env, timeoutMs);
  let validation: { valid: boolean; diagnostics: JsonDiagnostic[] };
  try {
    validation = JSON.parse(validate.stdout);
  } catch {
    return { stack, ok: false, failed: "validate", diagnostics: textDiagnostics(validate.stderr || validate.stdout), seconds: seconds() };
  }
  const diagnostics = validation.diagnostics.map(formatDiagnostic);
  if (!validation.valid || validate.code !== 0) return { stack, ok: false, failed: "validate", diagnostics, seconds: seconds() };

  const plan = await run(binary, ["plan", "-refresh=false", "-input=false", "-lock=false", "-no-color", "-json"], work, env, timeoutMs);
  let summary: StackReport["plan"];
  const changes: PlannedChange[] = [];
  for (const line of plan.stdout.split("\n")) {
    if (line.trim() === "") continue;
    let message: {
      type?: string;
      diagnostic?: JsonDiagnostic;
      changes?: { add: number; change: number; import?: number; remove: number };
      change?: { resource: { addr: string }; action: string; previous_resource?: { addr: string } };
    };
    try {
      message = JSON.parse(line);
    } catch {
      continue;
    }
    if (message.type === "diagnostic" && message.diagnostic) diagnostics.push(formatDiagnostic(message.diagnostic));
    if (message.type === "planned_change" && message.change) {
      const c = message.change;
      changes.push({ address: c.resource.addr, action: c.action, ...(c.previous_resource ? { previousAddress: c.previous_resource.addr } : {}) });
    }
    if (message.type === "change_summary" && message.changes) {
      const c = message.changes;
      summary = { import: c.import ?? 0, add: c.add, change: c.change, remove: c.remove };
    }
  }
  if (plan.code !== 0) {
    if (!diagnostics.some((d) => d.startsWith("error"))) diagnostics.push(...textDiagnostics(plan.stderr || plan.stdout));
    return { stack, ok: false, failed: "plan", diagnostics, seconds: seconds() };
  }
  return { stack, ok: true, diagnostics, ...(summary ? { plan: summary } : {}), changes, seconds: seconds() };
}

/** Runs the check on every stack folder of `stacksDir` (or `stacks`), in parallel. */
export async function checkStacks(options: CheckOptions): Promise<StackReport[]> {
  const { stacksDir, binary } = options;
  if (!fs.existsSync(stacksDir)) throw new TofuCheckError(`stack folder ${stacksDir} does not exist; run npx cdktf synth first`);
  const names = options.stacks ?? fs.readdirSync(stacksDir).filter((n) => fs.statSync(path.join(stacksDir, n)).isDirectory()).sort();
  for (const name of names) {
    const file = path.join(stacksDir, name, "cdk.tf.json");
    if (!fs.existsSync(file)) throw new TofuCheckError(`stack folder ${path.join(stacksDir, name)} has no cdk.tf.json; run npx cdktf synth`);
  }
  const fixtures = options.fixtures ?? loadFixtures();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "tofu-check-"));
  const children: ChildProcess[] = [];
  try {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: root,
      TMPDIR: root,
      TF_CLI_CONFIG_FILE: prepareProviders(root, fixtures),
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
      CHECKPOINT_DISABLE: "1",
      // Each core command is short-lived and small (about 100 MB at this setting): collecting garbage
      // less often cuts its CPU by about a tenth.
      GOGC: "400",
    };
    const timeoutMs = options.timeoutMs ?? 120_000;
    const reattach = options.reuseProviders === false ? undefined : await startServers(fixtures, children, Math.min(timeoutMs, 30_000));
    const queue = [...names];
    const reports: StackReport[] = [];
    const worker = async () => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
        reports.push(await checkStack(binary, path.join(stacksDir, name), path.join(root, "stacks", name), env, reattach, timeoutMs, options.states?.[name]));
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? os.cpus().length) }, worker));
    return reports.sort((a, b) => a.stack.localeCompare(b.stack));
  } finally {
    for (const child of children) child.kill("SIGKILL");
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** The report as the lines a person reads: one per stack, then its diagnostics. */
export function formatReports(reports: StackReport[], binary: CoreBinary): string {
  const lines = [`OpenTofu check with ${binary.name} ${binary.version} (offline provider schemas):`];
  for (const r of reports) {
    const plan = r.plan ? `plan: ${r.plan.import} to import, ${r.plan.add} to add, ${r.plan.change} to change, ${r.plan.remove} to destroy` : "";
    lines.push(`  ${r.stack}: ${r.ok ? "ok" : `FAILED at ${r.failed}`}${plan ? `, ${plan}` : ""} (${r.seconds.toFixed(1)} s)`);
    for (const d of r.diagnostics) lines.push(`    ${d}`);
  }
  return lines.join("\n");
}
