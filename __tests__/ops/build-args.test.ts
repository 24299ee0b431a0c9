import * as fs from "node:fs";
import * as path from "node:path";
import { production, staging } from "../../environments";
import { buildArgs, readInput, urlBuildArgs } from "../../ops/build-args";
import { UsageError } from "../../ops/cli";
import { serviceUrl } from "../../lib/naming";
import { lines, runInProcess, runOps, tempDir } from "./run";

const SERVICES = ["agent", "journal", "habits", "meals", "movements", "practices", "users"].map((s) => `${s}-service`);

/** The secret as Phase 2 writes it, keys deliberately not in catalog order. */
function secret(env = staging): Record<string, unknown> {
  return Object.fromEntries([...SERVICES].reverse().map((s) => [`${s.replace(/-/g, "_")}_url`, serviceUrl(env, s)]));
}

const EXPECTED = SERVICES.map((s) => `--build-arg ${s.replace(/-/g, "_").toUpperCase()}_URL=${serviceUrl(staging, s)}`);

describe("build-args", () => {
  it("prints one --build-arg per service in catalog order, from --file", async () => {
    const tmp = tempDir("build-args");
    try {
      const file = path.join(tmp.dir, "urls.json");
      fs.writeFileSync(file, JSON.stringify(secret(), null, 2));
      const run = await runInProcess("build-args", ["--env", "staging", "--file", file]);
      expect(run).toMatchObject({ code: 0, stderr: "" });
      expect(lines(run.stdout)).toEqual(EXPECTED);
      expect(lines(run.stdout)[0]).toBe("--build-arg AGENT_SERVICE_URL=https://agent-service-staging-3858903851.us-east4.run.app");
    } finally {
      tmp.remove();
    }
  });

  it("fails with exit 2 and one line naming missing, extra and non-https keys, from stdin", async () => {
    const { journal_service_url: _journal, users_service_url: _users, ...rest } = secret() as Record<string, string>;
    const input = JSON.stringify({ ...rest, agent_service_url: "http://agent.example", gateway_url: "https://g.run.app" });
    const run = await runOps("build-args", ["--env", "staging"], input);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(lines(run.stderr)).toHaveLength(1);
    expect(run.stderr).toMatch(
      /^build-args: stdin is not a valid service-urls-staging secret: missing journal_service_url, users_service_url; unexpected gateway_url; not an https:\/\/ URL: agent_service_url \("http:\/\/agent\.example"\); expect exactly the keys agent_service_url, /,
    );
  });

  it("takes the keys from the services stack of the catalog, not the gateway", () => {
    expect(urlBuildArgs()).toEqual(SERVICES.map((s) => ({ service: s, key: `${s.replace(/-/g, "_")}_url`, arg: `${s.replace(/-/g, "_").toUpperCase()}_URL` })));
  });

  it("accepts any order of keys and a byte-order mark", () => {
    const out = buildArgs(staging, `\uFEFF${JSON.stringify(secret())}`, "stdin");
    expect(out).toEqual(EXPECTED);
  });

  it.each([
    ["another host", "https://meals-abc123-uk.a.run.app"],
    ["the URL with a trailing slash", `${serviceUrl(staging, "meals-service")}/`],
    ["production's URL of the service", serviceUrl(production, "meals-service")],
    ["another service's URL", serviceUrl(staging, "users-service")],
  ])("fails if an https URL is %s: only the environment's deterministic URLs are accepted", (_what, value) => {
    const text = JSON.stringify({ ...secret(), meals_service_url: value });
    expect(() => buildArgs(staging, text, "stdin")).toThrow(UsageError);
    expect(() => buildArgs(staging, text, "stdin")).toThrow(
      `stdin is not a valid service-urls-staging secret: not staging's deterministic URL: meals_service_url (${JSON.stringify(value)}, expected https://meals-service-staging-3858903851.us-east4.run.app); expect exactly the keys`,
    );
  });

  it.each([
    ["not JSON", "{", /^stdin is not JSON \(.*\); expect the service-urls-staging secret: \{"agent_service_url": "https:\/\/\.\.\.", /],
    ["an array", "[]", /^stdin holds an array, not an object; expect the service-urls-staging secret/],
    ["null", "null", /^stdin holds null, not an object/],
    ["a string", '"https://x"', /^stdin holds "https:\/\/x", not an object/],
    ["empty", "", /^stdin is not JSON/],
  ])("fails if the input is %s", (_what, text, message) => {
    expect(() => buildArgs(staging, text, "stdin")).toThrow(UsageError);
    expect(() => buildArgs(staging, text, "stdin")).toThrow(message);
  });

  it.each([
    ["a space", "https://a.run.app/x y"],
    ["a command substitution", "https://a.run.app/$(id)"],
    ["a glob", "https://a.run.app/*"],
    ["a quote", "https://a.run.app/'"],
    ["credentials", "https://user:pw@a.run.app"],
    ["a query", "https://a.run.app/?a=1"],
    ["no host", "https://"],
    ["a number", 42],
    ["null", null],
  ])("fails if a URL holds %s, because the list is word-split by the shell", (_what, value) => {
    const text = JSON.stringify({ ...secret(), habits_service_url: value });
    expect(() => buildArgs(staging, text, "--file \"u.json\"")).toThrow(
      new RegExp(`^--file "u\\.json" is not a valid service-urls-staging secret: not an https:// URL: habits_service_url \\(`),
    );
  });

  it("names the production secret for production and shortens long bad values", () => {
    const text = JSON.stringify({ ...secret(production), users_service_url: `ftp://${"x".repeat(100)}` });
    expect(() => buildArgs(production, text, "stdin")).toThrow(/^stdin is not a valid service-urls-production secret: not an https:\/\/ URL: users_service_url \("ftp:\/\/x{50}\.\.\.\)/);
  });

  it("fails if --file cannot be read", async () => {
    await expect(readInput("/nonexistent/urls.json")).rejects.toThrow(
      /^--file "\/nonexistent\/urls\.json" cannot be read \(ENOENT\); give the path of a file holding the service-urls-<env> JSON$/,
    );
  });
});
