import type {
  CloudRunV2ServiceTemplateContainersLivenessProbe,
  CloudRunV2ServiceTemplateContainersStartupProbe,
} from "@cdktf/provider-google/lib/cloud-run-v2-service";
import { DEFAULT_RESOURCES, LIVENESS_PROBE, STARTUP_PROBE } from "../constructs/cloud-run-service";

/**
 * The defaults spread into the provider config are declared `satisfies` its
 * structs, so a misspelt key fails `tsc` (which `npm test` runs first) instead
 * of reaching the JSON as an argument the provider rejects or ignores. The
 * `@ts-expect-error` lines fail the type check the day the struct stops
 * rejecting them.
 */
describe("typed defaults", () => {
  it("rejects a misspelt probe key at compile time", () => {
    // @ts-expect-error periodSecond is not a field of the startup probe
    const startup = { periodSecond: 10 } satisfies CloudRunV2ServiceTemplateContainersStartupProbe;
    // @ts-expect-error a timing is a number, not a duration string
    const liveness = { timeoutSeconds: "5s" } satisfies CloudRunV2ServiceTemplateContainersLivenessProbe;
    expect([startup, liveness]).toHaveLength(2);
  });

  it("holds the timings and limits the services run with", () => {
    expect(STARTUP_PROBE).toEqual({ periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 24 });
    expect(LIVENESS_PROBE).toEqual({ periodSeconds: 30, timeoutSeconds: 5, failureThreshold: 3 });
    expect(DEFAULT_RESOURCES).toEqual({ cpu: "1", memory: "512Mi" });
  });
});
