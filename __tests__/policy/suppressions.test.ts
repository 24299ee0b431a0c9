import { Construct } from "constructs";
import { SERVICES } from "../../catalog";
import { CloudRunService } from "../../constructs/cloud-run-service";
import { staging } from "../../environments";
import { Testing } from "../../lib/cdk";
import { imageRepositoryPath } from "../../lib/naming";
import { suppress } from "../../policy";
import { annotationsOf, compliantService, LOCKED, policyStack } from "./helpers";

const REASON = "load test service, capped by its quota project instead";

describe("suppressions", () => {
  it("turns a finding into info that names the rule, the reason, the finding and the suppressing construct", () => {
    const stack = policyStack((s) => suppress(compliantService(s, "api", { maxInstanceCount: null }), "MM-RUN-3", REASON));
    expect(annotationsOf(stack)).toEqual([
      {
        path: "foundation-staging/api",
        level: "info",
        message: `[MM-RUN-3] suppressed: ${REASON} (template.scaling.max_instance_count is unset; suppressed at foundation-staging/api)`,
      },
    ]);
    expect(() => Testing.synth(stack, true)).not.toThrow();
  });

  it("covers the children of the construct it is added to, for that rule only", () => {
    const stack = policyStack((s) => {
      const group = new Construct(s, "load-tests");
      compliantService(group, "api", { maxInstanceCount: null, container: { startupProbe: undefined } });
      suppress(group, "MM-RUN-3", REASON);
    });
    expect(annotationsOf(stack).map((a) => [a.level, ...a.message.split(" ").slice(0, 2)])).toEqual([
      ["error", "[MM-RUN-2]", "every"],
      ["info", "[MM-RUN-3]", "suppressed:"],
    ]);
    expect(annotationsOf(stack)[1].message).toContain("suppressed at foundation-staging/load-tests)");
  });

  it("turns a warning into info too", () => {
    const def = SERVICES.find((s) => s.name === "habits-service")!;
    const stack = policyStack((s) => {
      const service = new CloudRunService(s, def.name, { environment: staging, definition: def, image: `${imageRepositoryPath(staging, def.image)}:v1` });
      suppress(service, "MM-IAM-1", "callers do not send ID tokens yet (README)");
    }, staging);
    expect(annotationsOf(stack).map((a) => [a.level, a.path])).toEqual([["info", "foundation-staging/habits-service/invoker-public/binding"]]);
  });

  it.each([["", '""'], ["temporary", '"temporary"'], ["   ok      ", '"   ok      "']])("fails without a reason of 10 characters (%j)", (reason, shown) => {
    const stack = policyStack(() => undefined, LOCKED);
    expect(() => suppress(stack, "MM-RUN-3", reason)).toThrow(
      `suppress(foundation-staging, MM-RUN-3): reason ${shown} is too short; write at least 10 characters saying why the finding is acceptable`,
    );
  });

  it("fails for a rule id the pack does not have", () => {
    const stack = policyStack(() => undefined, LOCKED);
    expect(() => suppress(stack, "MM-RUN-03", REASON)).toThrow(/suppress\(foundation-staging\): unknown rule id "MM-RUN-03"; use one of MM-IAM-1, /);
  });
});
