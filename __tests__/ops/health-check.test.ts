import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { UsageError } from "../../ops/cli";
import { healthCheck, healthCheckOptions, parseDuration } from "../../ops/health-check";
import { lines, runInProcess, runOps } from "./run";

/** A local server on 127.0.0.1; `statuses` answers request n with statuses[n] (the last one repeats). */
async function serve(statuses: number[] | "hang"): Promise<{ url: string; requests: string[]; close: () => Promise<void> }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? "");
    if (statuses === "hang") return;
    const status = statuses[Math.min(requests.length - 1, statuses.length - 1)];
    res.writeHead(status, status === 302 ? { location: "/login" } : {}).end(String(status));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<string> {
  const server = await serve([200]);
  await server.close();
  return server.url;
}

const ATTEMPT = /^attempt (\d+)\/(\d+): (HTTP \d+|error: .+) in \d+ ms( - healthy)?$/;

describe("health-check", () => {
  it("exits 0 on the first 2xx from a server that is up", async () => {
    const server = await serve([200]);
    try {
      const run = await runInProcess("health-check", ["--url", `${server.url}/`, "--delay", "50ms"]);
      expect(run).toMatchObject({ code: 0, stderr: "" });
      const out = lines(run.stdout);
      expect(out[0]).toBe(`GET ${server.url}/health (tries: 3, delay: 50 ms, timeout: 5000 ms)`);
      expect(out.slice(1)).toEqual([expect.stringMatching(/^attempt 1\/3: HTTP 200 in \d+ ms - healthy$/)]);
      expect(server.requests).toEqual(["/health"]);
    } finally {
      await server.close();
    }
  });

  it("retries a flaky server that fails twice, then answers", async () => {
    const server = await serve([503, 500, 200]);
    try {
      const run = await runInProcess("health-check", ["--url", server.url, "--path", "/ready", "--tries", "3", "--delay", "50ms", "--timeout", "2s"]);
      expect(run).toMatchObject({ code: 0, stderr: "" });
      const attempts = lines(run.stdout).slice(1).map((l) => ATTEMPT.exec(l)?.slice(1, 5));
      expect(attempts).toEqual([
        ["1", "3", "HTTP 503", undefined],
        ["2", "3", "HTTP 500", undefined],
        ["3", "3", "HTTP 200", " - healthy"],
      ]);
      expect(server.requests).toEqual(["/ready", "/ready", "/ready"]);
    } finally {
      await server.close();
    }
  });

  it("exits 1 after the last failed try against a server that is down", async () => {
    const url = await closedPort();
    const run = await runOps("health-check", ["--url", url, "--tries", "2", "--delay", "50ms"]);
    expect(run.code).toBe(1);
    const out = lines(run.stdout);
    expect(out).toHaveLength(3);
    expect(out[1]).toMatch(/^attempt 1\/2: error: .*ECONNREFUSED.* in \d+ ms$/);
    expect(out[2]).toMatch(/^attempt 2\/2: error: .*ECONNREFUSED/);
    expect(lines(run.stderr)).toEqual([`health-check: ${url}/health gave no 2xx answer after 2 attempt(s)`]);
  });

  it("fails with exit 2 and one line for a bad flag, without requesting anything", async () => {
    const server = await serve([200]);
    try {
      const run = await runOps("health-check", ["--url", server.url, "--delay", "10"]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      expect(lines(run.stderr)).toEqual([
        'health-check: --delay "10" is not a valid duration; use a number with ms, s or m, from 0ms to 10m (e.g. 500ms, 10s)',
      ]);
      expect(server.requests).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it("gives up on an attempt after --timeout", async () => {
    const server = await serve("hang");
    const log: string[] = [];
    try {
      const ok = await healthCheck({ target: `${server.url}/health`, tries: 2, delayMs: 0, timeoutMs: 100 }, (l) => log.push(l));
      expect(ok).toBe(false);
      expect(log.slice(1)).toEqual([
        expect.stringMatching(/^attempt 1\/2: error: no answer within 100 ms in \d+ ms$/),
        expect.stringMatching(/^attempt 2\/2: error: no answer within 100 ms in \d+ ms$/),
      ]);
    } finally {
      await server.close();
    }
  });

  it("waits --delay between attempts, but not after the last", async () => {
    const server = await serve([503]);
    try {
      const started = Date.now();
      expect(await healthCheck({ target: server.url, tries: 3, delayMs: 150, timeoutMs: 1000 }, () => undefined)).toBe(false);
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(300);
      expect(elapsed).toBeLessThan(450 + 1000);
      expect(server.requests).toHaveLength(3);
    } finally {
      await server.close();
    }
  });

  it("treats a redirect as unhealthy instead of following it", async () => {
    const server = await serve([302, 200]);
    try {
      expect(await healthCheck({ target: `${server.url}/health`, tries: 1, delayMs: 0, timeoutMs: 1000 }, () => undefined)).toBe(false);
      expect(server.requests).toEqual(["/health"]);
    } finally {
      await server.close();
    }
  });

  it("applies the documented defaults: /health, 3 tries, 10s apart, 5s timeout", () => {
    expect(healthCheckOptions({ url: "https://gateway-435339726777.us-east4.run.app/" })).toEqual({
      target: "https://gateway-435339726777.us-east4.run.app/health",
      tries: 3,
      delayMs: 10_000,
      timeoutMs: 5_000,
    });
    expect(healthCheckOptions({ url: "http://h/api", path: "/", tries: "1", delay: "0ms", timeout: "1.5s" })).toEqual({
      target: "http://h/api/",
      tries: 1,
      delayMs: 0,
      timeoutMs: 1_500,
    });
  });

  it("reads durations in ms, s and m", () => {
    expect(parseDuration("delay", "500ms", 0)).toBe(500);
    expect(parseDuration("delay", "10s", 0)).toBe(10_000);
    expect(parseDuration("delay", "2m", 0)).toBe(120_000);
    expect(parseDuration("delay", "10m", 0)).toBe(600_000);
  });

  it.each([
    [{}, /^--url is required; give the service's base URL/],
    [{ url: "gateway" }, /^--url "gateway" is not an http\(s\) base URL; use e\.g\. https:\/\//],
    [{ url: "ftp://h" }, /^--url "ftp:\/\/h" is not an http\(s\) base URL/],
    [{ url: "https://h/?a=1" }, /^--url "https:\/\/h\/\?a=1" is not an http\(s\) base URL.*\(no user:password@, \? or #\)$/],
    [{ url: "https://u:p@h" }, /^--url "https:\/\/u:p@h" is not an http\(s\) base URL/],
    [{ url: "https://h", path: "health" }, /^--path "health" is not a URL path; use one starting with \/, e\.g\. \/health$/],
    [{ url: "https://h", path: "/a b" }, /^--path "\/a b" is not a URL path/],
    [{ url: "https://h", tries: "0" }, /^--tries "0" is not a valid count; use a whole number from 1 to 100$/],
    [{ url: "https://h", tries: "101" }, /^--tries "101" is not a valid count/],
    [{ url: "https://h", tries: "2.5" }, /^--tries "2\.5" is not a valid count/],
    [{ url: "https://h", delay: "10" }, /^--delay "10" is not a valid duration/],
    [{ url: "https://h", delay: "-1s" }, /^--delay "-1s" is not a valid duration/],
    [{ url: "https://h", delay: "11m" }, /^--delay "11m" is not a valid duration/],
    [{ url: "https://h", timeout: "0s" }, /^--timeout "0s" is not a valid duration; use a number with ms, s or m, from 1ms to 10m/],
    [{ url: "https://h", timeout: "5 s" }, /^--timeout "5 s" is not a valid duration/],
  ])("fails if the flags are %j", (flags, message) => {
    expect(() => healthCheckOptions(flags)).toThrow(UsageError);
    expect(() => healthCheckOptions(flags)).toThrow(message);
  });
});
