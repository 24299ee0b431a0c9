import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { SERVICES } from "../../catalog";
import { CloudRunService } from "../../constructs/cloud-run-service";
import { imageRepositoryPath, serviceLabels } from "../../lib/naming";
import { compliantService, findingsOf, foundOf, LOCKED, policyStack } from "./helpers";

const RUN_RULES = ["MM-RUN-1", "MM-RUN-2", "MM-RUN-3", "MM-RUN-4"];

describe("MM-RUN Cloud Run service shape", () => {
  it("accepts the real CloudRunService for every catalog entry", () => {
    const stack = policyStack((s) => {
      for (const def of SERVICES) {
        new CloudRunService(s, def.name, { environment: LOCKED, definition: def, image: `${imageRepositoryPath(LOCKED, def.image)}:v1` });
      }
    });
    expect(RUN_RULES.flatMap((id) => findingsOf(stack, id))).toEqual([]);
  });

  describe("MM-RUN-1 own service account", () => {
    it("fails if the account is unset, so the default compute account runs it", () => {
      const stack = policyStack((s) => compliantService(s, "api", { serviceAccount: null }));
      expect(findingsOf(stack, "MM-RUN-1").map((f) => f.message)).toEqual([expect.stringContaining("template.service_account is unset")]);
    });

    it("fails if the account is the project's default compute account", () => {
      const stack = policyStack((s) => compliantService(s, "api", { serviceAccount: "3858903851-compute@developer.gserviceaccount.com" }));
      expect(findingsOf(stack, "MM-RUN-1").map((f) => f.message)).toEqual([
        expect.stringContaining("is the default account 3858903851-compute@developer.gserviceaccount.com"),
      ]);
    });

    it("fails on both services if two share an account", () => {
      const stack = policyStack((s) => {
        const shared = new ServiceAccount(s, "shared", { accountId: "shared-runtime" });
        compliantService(s, "first", { serviceAccount: shared.email });
        compliantService(s, "second", { serviceAccount: shared.email });
      });
      expect(findingsOf(stack, "MM-RUN-1").map((f) => [f.level, f.path, foundOf(f)])).toEqual([
        ["error", "foundation-staging/first", "template.service_account is shared with foundation-staging/second"],
        ["error", "foundation-staging/second", "template.service_account is shared with foundation-staging/first"],
      ]);
    });
  });

  it("MM-RUN-2 fails if a container has no startup probe", () => {
    const stack = policyStack((s) => compliantService(s, "api", { container: { name: "app", startupProbe: undefined } }));
    expect(findingsOf(stack, "MM-RUN-2").map((f) => [f.level, foundOf(f)])).toEqual([["error", "container app has no startup_probe"]]);
  });

  it("MM-RUN-3 fails if instances are not capped", () => {
    const stack = policyStack((s) => compliantService(s, "api", { maxInstanceCount: null }));
    expect(findingsOf(stack, "MM-RUN-3").map((f) => [f.level, foundOf(f)])).toEqual([
      ["error", "template.scaling.max_instance_count is unset"],
    ]);
  });

  it("MM-RUN-4 fails if a label of the environment is missing or wrong", () => {
    const { "managed-by": _dropped, ...labels } = serviceLabels(LOCKED, "api");
    const stack = policyStack((s) => compliantService(s, "api", { labels: { ...labels, app: "other", environment: "production" } }));
    expect(findingsOf(stack, "MM-RUN-4").map(foundOf)).toEqual([
      'label app is "other", expected "mindmirror"',
      'label managed-by is null, expected "cdktf"',
      'label environment is "production", expected "staging"',
    ]);
  });
});
