import { execFile } from "node:child_process";
import { BUILD_ARGS } from "../../ops/build-args";
import {
  type CommandSpec,
  errorLine,
  EXIT,
  findEnvironment,
  findService,
  helpText,
  OperationError,
  parseFlags,
  runCommand,
  UsageError,
} from "../../ops/cli";
import { HEALTH_CHECK } from "../../ops/health-check";
import { ROLLBACK } from "../../ops/rollback";
import { SET_IMAGE } from "../../ops/set-image";
import { lines, ROOT, runOps } from "./run";

const SPEC: CommandSpec<"env" | "tag"> = {
  name: "demo",
  usage: "--env <env> [--tag <tag>]",
  summary: "A demo.",
  options: {
    env: { value: "<env>", description: "environment" },
    tag: { value: "<tag>", description: "tag", default: "latest" },
  },
  exitCodes: { failed: "it failed", usage: "bad flag" },
};

function capture(): { out: string[]; err: string[]; io: { out: (l: string) => void; err: (l: string) => void } } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l) => out.push(l), err: (l) => err.push(l) } };
}

describe("ops cli", () => {
  it("reads --flag value and --flag=value", () => {
    expect(parseFlags(SPEC, ["--env", "staging", "--tag=v1"])).toEqual({ env: "staging", tag: "v1" });
    expect(parseFlags(SPEC, [])).toEqual({});
    expect(parseFlags(SPEC, ["--tag="])).toEqual({ tag: "" });
  });

  it("returns undefined for --help or -h, whatever else is given", () => {
    expect(parseFlags(SPEC, ["--env", "x", "--help"])).toBeUndefined();
    expect(parseFlags(SPEC, ["--bogus", "-h"])).toBeUndefined();
  });

  it.each([
    [["--bogus", "1"], /^--bogus is not an option of demo; use --env, --tag, --help$/],
    [["staging"], /^"staging" is not an option; use --env, --tag, --help$/],
    [["--env"], /^--env needs a value; use --env <env>$/],
    [["--env", "--tag", "v1"], /^--env needs a value; use --env <env>$/],
    [["--env", "a", "--env=b"], /^--env is given twice \("a", "b"\); give it once$/],
  ])("fails if the arguments are %j", (argv, message) => {
    expect(() => parseFlags(SPEC, argv)).toThrow(UsageError);
    expect(() => parseFlags(SPEC, argv)).toThrow(message);
  });

  it("maps usage errors to 2, failures to 1, and prints each as one prefixed line", async () => {
    const usage = capture();
    expect(await runCommand(SPEC, [], () => { throw new UsageError("--env is required"); }, usage.io)).toBe(EXIT.usage);
    expect(usage.err).toEqual(["demo: --env is required"]);

    const failed = capture();
    expect(await runCommand(SPEC, [], async () => { throw new OperationError("git failed:\n  fatal: bad\n"); }, failed.io)).toBe(EXIT.failed);
    expect(failed.err).toEqual(["demo: git failed: fatal: bad"]);

    const unexpected = capture();
    expect(await runCommand(SPEC, [], () => { throw new Error("boom"); }, unexpected.io)).toBe(1);
    expect(unexpected.err).toEqual(["demo: boom"]);

    const bad = capture();
    expect(await runCommand(SPEC, ["--nope"], () => undefined, bad.io)).toBe(2);
    expect(bad.err).toHaveLength(1);
  });

  it("passes parsed flags to the action and returns its exit code", async () => {
    const io = capture();
    const seen: unknown[] = [];
    expect(await runCommand(SPEC, ["--env", "staging"], (flags) => { seen.push(flags); }, io.io)).toBe(0);
    expect(await runCommand(SPEC, [], () => 1, io.io)).toBe(1);
    expect(seen).toEqual([{ env: "staging" }]);
  });

  it("prints help on stdout and exits 0 without running the action", async () => {
    const io = capture();
    const action = jest.fn();
    expect(await runCommand(SPEC, ["--help"], action, io.io)).toBe(0);
    expect(action).not.toHaveBeenCalled();
    expect(io.out.join("\n")).toContain("--tag <tag>  tag (default: latest)");
    expect(io.err).toEqual([]);
  });

  it.each([SET_IMAGE, BUILD_ARGS, HEALTH_CHECK, ROLLBACK].map((s) => [s.name, s] as const))(
    "documents every flag and the exit codes in %s --help",
    (_name, spec: CommandSpec<string>) => {
      const help = helpText(spec);
      expect(help).toMatch(new RegExp(`^Usage: npm run -s ${spec.name} -- `));
      for (const key of Object.keys(spec.options)) expect(help).toContain(`--${key} `);
      expect(help).toMatch(/\n {2}0 {2}success\n {2}1 {2}\S.*\n {2}2 {2}\S/);
    },
  );

  it("collapses a multi-line message into one line", () => {
    expect(errorLine("x", new Error("a\n  b\n"))).toBe("x: a b");
    expect(errorLine("x", "plain")).toBe("x: plain");
  });

  it("finds environments and services, or names the allowed values", () => {
    expect(findEnvironment("production").project.id).toBe("mindmirror-prod");
    expect(() => findEnvironment("prod")).toThrow(/^--env "prod" is not an environment; use staging or production$/);
    expect(() => findEnvironment(undefined)).toThrow(/^--env is required; use staging or production$/);
    expect(findService("gateway").image).toBe("mesh");
    expect(() => findService("foo")).toThrow(/^--service "foo" is not a service; use one of agent-service, journal-service, .*, gateway$/);
  });
});

describe("ops entry points", () => {
  it("print one line and exit 2 on bad input, with the stack trace only under MINDMIRROR_DEBUG=1", async () => {
    const args = ["--env", "staging", "--service", "nope", "--tag", "v1"];
    const [quiet, debug, viaNpm] = await Promise.all([
      runOps("set-image", args),
      runOps("set-image", args, "", { MINDMIRROR_DEBUG: "1" }),
      runNpm(["run", "-s", "set-image", "--", ...args]),
    ]);
    const line = 'set-image: --service "nope" is not a service; use one of agent-service, journal-service, habits-service, meals-service, movements-service, practices-service, users-service, gateway';
    expect(quiet).toEqual({ code: EXIT.usage, stdout: "", stderr: `${line}\n` });
    expect(viaNpm).toEqual({ code: EXIT.usage, stdout: "", stderr: `${line}\n` });
    expect(debug.code).toBe(EXIT.usage);
    expect(lines(debug.stderr)[0]).toBe(line);
    expect(lines(debug.stderr).some((l) => /^\s+at findService /.test(l))).toBe(true);
  }, 30_000);
});

function runNpm(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env };
    delete env.MINDMIRROR_DEBUG;
    execFile("npm", args, { cwd: ROOT, timeout: 30_000, env }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}
