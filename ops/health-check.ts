/**
 * health-check: the last step of the gateway apply (phase 4). GETs the
 * gateway's health path until it answers 2xx or the tries run out.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { type Command, type CommandSpec, EXIT, type Flags, main, required, UsageError, withDefaults } from "./cli";
import { DURATION, URL_PATH } from "../lib/patterns";

type Key = "url" | "path" | "tries" | "delay" | "timeout";

/** Flags and help of `health-check`. */
export const HEALTH_CHECK: CommandSpec<Key> = {
  name: "health-check",
  usage: "--url <gateway-url> [--path /health] [--tries 3] [--delay 10s] [--timeout 5s]",
  summary: [
    "GETs <url><path> up to --tries times, --delay apart, each with its own --timeout, and prints",
    "every attempt (number, HTTP status or error, elapsed time). Succeeds on the first 2xx answer;",
    "a redirect counts as a failure. Durations take a unit: 500ms, 10s, 1m.",
  ].join("\n"),
  options: {
    url: { value: "<url>", description: "base URL of the service, http:// or https://" },
    path: { value: "<path>", description: "path appended to --url", default: "/health" },
    tries: { value: "<n>", description: "attempts before giving up, 1-100", default: "3" },
    delay: { value: "<duration>", description: "wait between attempts, at most 10m", default: "10s" },
    timeout: { value: "<duration>", description: "limit of one attempt, 1ms-10m", default: "5s" },
  },
  exitCodes: {
    failed: "no attempt got a 2xx answer",
    usage: "bad flag; nothing was requested",
  },
};

/** The checked flags. */
export interface HealthCheckOptions {
  /** The full URL requested: `--url` with `--path` appended. */
  readonly target: string;
  readonly tries: number;
  readonly delayMs: number;
  readonly timeoutMs: number;
}

/** One attempt's outcome. */
export interface Attempt {
  /** The HTTP status, when an answer came. */
  readonly status?: number;
  /** Why no answer came (connection refused, timeout, ...). */
  readonly error?: string;
  readonly elapsedMs: number;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };
const MAX_MS = 10 * 60_000;

/** Milliseconds of a duration flag (`500ms`, `10s`, `1m`); throws a UsageError naming the flag. */
export function parseDuration(flag: string, value: string, minMs: number): number {
  const match = DURATION.exec(value);
  const ms = match ? Math.round(Number(match[1]) * UNIT_MS[match[2]]) : NaN;
  if (!(ms >= minMs && ms <= MAX_MS)) {
    throw new UsageError(`--${flag} ${JSON.stringify(value)} is not a valid duration; use a number with ms, s or m, from ${minMs}ms to 10m (e.g. 500ms, 10s)`);
  }
  return ms;
}

/** Checks the flags and applies the defaults. */
export function healthCheckOptions(given: Flags<Key>): HealthCheckOptions {
  const flags = withDefaults(HEALTH_CHECK, given);
  const url = required(flags, "url", "give the service's base URL, e.g. --url https://gateway-435339726777.us-east4.run.app");
  let base: URL | undefined;
  try {
    base = new URL(url);
  } catch {
    base = undefined;
  }
  // A query or fragment in the base would end up in front of the appended path.
  // fetch refuses URLs with credentials, so every attempt would fail for a reason no retry fixes.
  if (!base || !["http:", "https:"].includes(base.protocol) || base.search || base.hash || base.username || base.password) {
    throw new UsageError(`--url ${JSON.stringify(url)} is not an http(s) base URL; use e.g. https://gateway-435339726777.us-east4.run.app (no user:password@, ? or #)`);
  }
  const path = flags.path as string;
  if (!URL_PATH.test(path)) {
    throw new UsageError(`--path ${JSON.stringify(path)} is not a URL path; use one starting with /, e.g. /health`);
  }
  const triesText = flags.tries as string;
  const tries = /^[0-9]{1,3}$/.test(triesText) ? Number(triesText) : NaN;
  if (!(tries >= 1 && tries <= 100)) {
    throw new UsageError(`--tries ${JSON.stringify(triesText)} is not a valid count; use a whole number from 1 to 100`);
  }
  return {
    target: `${url.replace(/\/+$/, "")}${path}`,
    tries,
    delayMs: parseDuration("delay", flags.delay as string, 0),
    timeoutMs: parseDuration("timeout", flags.timeout as string, 1),
  };
}

/** One GET of `target`; never throws. */
export async function probe(target: string, timeoutMs: number): Promise<Attempt> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    // A redirect usually leads to a login or error page answering 200; it must not pass as healthy.
    const response = await fetch(target, { signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
    await response.body?.cancel().catch(() => undefined);
    return { status: response.status, elapsedMs: elapsed() };
  } catch (error) {
    return { error: describeError(error, timeoutMs), elapsedMs: elapsed() };
  }
}

/**
 * Probes `options.target` until it answers 2xx or `options.tries` attempts
 * have failed, logging one line per attempt. Resolves to true when healthy.
 */
export async function healthCheck(options: HealthCheckOptions, log: (line: string) => void): Promise<boolean> {
  log(`GET ${options.target} (tries: ${options.tries}, delay: ${options.delayMs} ms, timeout: ${options.timeoutMs} ms)`);
  for (let n = 1; n <= options.tries; n++) {
    const attempt = await probe(options.target, options.timeoutMs);
    const healthy = attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300;
    const outcome = attempt.status !== undefined ? `HTTP ${attempt.status}` : `error: ${attempt.error}`;
    log(`attempt ${n}/${options.tries}: ${outcome} in ${attempt.elapsedMs} ms${healthy ? " - healthy" : ""}`);
    if (healthy) return true;
    if (n < options.tries) await sleep(options.delayMs);
  }
  return false;
}

function describeError(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === "TimeoutError") return `no answer within ${timeoutMs} ms`;
  // fetch wraps the socket error ("fetch failed"); its cause says what actually happened.
  const cause = e.cause?.message ?? e.message ?? String(error);
  return e.cause?.code && !cause.includes(e.cause.code) ? `${e.cause.code} ${cause}` : cause;
}

/** `npm run health-check`: exit 0 once the URL answers 2xx, 1 when it never does. */
export const command: Command<Key> = {
  spec: HEALTH_CHECK,
  action: async (flags, io) => {
    const options = healthCheckOptions(flags);
    if (await healthCheck(options, io.out)) return EXIT.ok;
    io.err(`health-check: ${options.target} gave no 2xx answer after ${options.tries} attempt(s)`);
    return EXIT.failed;
  },
};

if (require.main === module) main(command);
