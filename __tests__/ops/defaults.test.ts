import { BUILD_ARGS } from "../../ops/build-args";
import { BUILD_PLAN } from "../../ops/build-plan";
import { type CommandSpec, ENVIRONMENTS_DIR, helpText, parseFlags, withDefaults } from "../../ops/cli";
import { HEALTH_CHECK, healthCheckOptions } from "../../ops/health-check";
import { MARK_HEALTHY } from "../../ops/mark-healthy";
import { PLAN_SUMMARY } from "../../ops/plan-summary";
import { RESTORE_HEALTHY } from "../../ops/restore-healthy";
import { ROLLBACK } from "../../ops/rollback";
import { SET_IMAGE } from "../../ops/set-image";

const SPECS: CommandSpec<string>[] = [BUILD_ARGS, BUILD_PLAN, HEALTH_CHECK, MARK_HEALTHY, PLAN_SUMMARY, RESTORE_HEALTHY, ROLLBACK, SET_IMAGE];

describe("ops defaults, each written once in its command's spec", () => {
  it("fills in only the flags not given", () => {
    expect(withDefaults(HEALTH_CHECK, { url: "https://x.run.app", tries: "5" })).toEqual({ url: "https://x.run.app", tries: "5", path: "/health", delay: "10s", timeout: "5s" });
    expect(withDefaults(ROLLBACK, { env: "staging" })).toEqual({ env: "staging", dir: ENVIRONMENTS_DIR, "image-check": "gcloud" });
  });

  it("leaves a default said in words (stdin, a path worked out from others) to the command", () => {
    expect(withDefaults(BUILD_ARGS, {})).toEqual({});
    expect(withDefaults(MARK_HEALTHY, {})).toEqual({ dir: ENVIRONMENTS_DIR });
    expect(helpText(BUILD_ARGS)).toContain("JSON file to read (default: stdin)");
    expect(helpText(SET_IMAGE)).toContain("folder holding the tfvars files (default: the repository's environments/)");
    expect(helpText(SET_IMAGE)).not.toContain(ENVIRONMENTS_DIR);
  });

  it("applies what the spec says", () => {
    const options = healthCheckOptions({ url: "https://x.run.app" });
    expect(options).toEqual({ target: "https://x.run.app/health", tries: 3, delayMs: 10_000, timeoutMs: 5_000 });
  });

  it("gives every spec's flags to parseArgs as string options, and parses what help lists", () => {
    for (const spec of SPECS) {
      const argv = Object.entries(spec.options).flatMap(([key, o]) => [`--${key}`, o.default ?? "x"]);
      expect([spec.name, parseFlags(spec, argv)]).toEqual([spec.name, Object.fromEntries(Object.entries(spec.options).map(([key, o]) => [key, o.default ?? "x"]))]);
    }
  });
});
