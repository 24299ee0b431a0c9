/**
 * build-args: turns the `service-urls-<env>` secret (JSON) into the
 * `--build-arg` list of the gateway image build (phase 3), replacing jq glue.
 */
import * as fs from "node:fs";
import { SERVICES, servicesOf } from "../catalog";
import type { EnvironmentConfig } from "../environments";
import { serviceUrl, serviceUrlsSecretId, urlEnvName, urlOutputName } from "../lib/naming";
import { type Command, type CommandSpec, findEnvironment, main, UsageError, envOption , type Output, readStdin } from "./cli";
import { HTTPS_URL } from "../lib/patterns";

type Key = "env" | "file";

/** Flags and help of `build-args`. */
export const BUILD_ARGS: CommandSpec<Key> = {
  name: "build-args",
  usage: "--env <env> [--file urls.json]",
  summary: [
    "Reads the service-urls-<env> JSON (from --file, else stdin), checks that it holds exactly",
    "the services stack's URL keys, each the service's deterministic Cloud Run URL in <env>, and prints one `--build-arg NAME=url`",
    "per line in catalog order, for: docker build $(npm run -s build-args -- --env staging --file urls.json) ...",
  ].join("\n"),
  options: {
    env: envOption("environment the URLs belong to"),
    file: { value: "<path>", description: "JSON file to read", defaultLabel: "stdin" },
  },
  exitCodes: {
    failed: "stdin could not be read",
    usage: "bad flag, or the JSON is malformed, lacks or adds keys, or holds a value that is not the environment's URL of that service",
  },
};

/** One build arg: the secret's JSON key and the gateway's build-arg name, in catalog order. */
export function urlBuildArgs(): { readonly service: string; readonly key: string; readonly arg: string }[] {
  return servicesOf(SERVICES, "services").map((s) => ({ service: s.name, key: urlOutputName(s.name), arg: urlEnvName(s.name) }));
}

/**
 * Checks the secret's JSON `text` and returns the `--build-arg NAME=url`
 * lines. `source` names the input in errors (`--file "urls.json"`, `stdin`).
 * Throws one UsageError listing every missing key, extra key and bad value.
 */
export function buildArgs(env: EnvironmentConfig, text: string, source: string): string[] {
  const secret = serviceUrlsSecretId(env);
  const wanted = urlBuildArgs().map((w) => ({ ...w, url: serviceUrl(env, w.service) }));
  const example = `{${wanted.slice(0, 2).map((w) => `"${w.key}": "https://..."`).join(", ")}, ...}`;
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (error) {
    throw new UsageError(`${source} is not JSON (${(error as Error).message}); expect the ${secret} secret: ${example}`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new UsageError(`${source} holds ${Array.isArray(data) ? "an array" : JSON.stringify(data)}, not an object; expect the ${secret} secret: ${example}`);
  }
  const urls = data as Record<string, unknown>;
  const keys = new Set(wanted.map((w) => w.key));
  const missing = wanted.filter((w) => !(w.key in urls)).map((w) => w.key);
  const extra = Object.keys(urls).filter((k) => !keys.has(k));
  const isHttps = (w: (typeof wanted)[number]) => typeof urls[w.key] === "string" && HTTPS_URL.test(urls[w.key] as string);
  const bad = wanted.filter((w) => w.key in urls && !isHttps(w)).map((w) => `${w.key} (${shorten(JSON.stringify(urls[w.key]))})`);
  // Only the URLs this environment's services have: a secret edited by hand cannot send the gateway elsewhere.
  const foreign = wanted
    .filter((w) => w.key in urls && isHttps(w) && urls[w.key] !== w.url)
    .map((w) => `${w.key} (${shorten(JSON.stringify(urls[w.key]))}, expected ${w.url})`);
  const problems = [
    missing.length ? `missing ${missing.join(", ")}` : "",
    extra.length ? `unexpected ${extra.join(", ")}` : "",
    bad.length ? `not an https:// URL: ${bad.join(", ")}` : "",
    foreign.length ? `not ${env.name}'s deterministic URL: ${foreign.join(", ")}` : "",
  ].filter(Boolean);
  if (problems.length) {
    throw new UsageError(
      `${source} is not a valid ${secret} secret: ${problems.join("; ")}; expect exactly the keys ${wanted.map((w) => w.key).join(", ")}, each the service's deterministic URL https://<name>-<project number>.<region>.run.app`,
    );
  }
  return wanted.map((w) => `--build-arg ${w.arg}=${urls[w.key] as string}`);
}

/** Reads the input `--file` names, or stdin. */
export async function readInput(file: string | undefined, io: Output = { out: () => {}, err: () => {} }): Promise<{ text: string; source: string }> {
  if (file !== undefined) {
    const source = `--file ${JSON.stringify(file)}`;
    try {
      return { text: fs.readFileSync(file, "utf8"), source };
    } catch (error) {
      throw new UsageError(`${source} cannot be read (${(error as NodeJS.ErrnoException).code}); give the path of a file holding the service-urls-<env> JSON`);
    }
  }
  const text = await readStdin(io, "--file is not given and stdin is a terminal; give --file urls.json or pipe the JSON in");
  return { text, source: "stdin" };
}

function shorten(text: string | undefined): string {
  const value = text ?? "undefined";
  return value.length > 60 ? `${value.slice(0, 57)}...` : value;
}

/** `npm run build-args`: the lines for the flags given. */
export const command: Command<Key> = {
  spec: BUILD_ARGS,
  action: async (flags, io) => {
    const env = findEnvironment(flags.env);
    const { text, source } = await readInput(flags.file, io);
    for (const line of buildArgs(env, text, source)) io.out(line);
  },
};

if (require.main === module) main(command);
