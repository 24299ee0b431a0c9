import { production, staging } from "../../environments";
import { TerraformVariable } from "../../lib/cdk";
import { imageCondition } from "../../lib/images";
import { compliantService, findingsOf, foundOf, LOCKED, policyStack, type TestStack } from "./helpers";

/** An image variable named `agent_service_image` with the given validation condition. */
function imageVariable(stack: TestStack, condition?: string): TerraformVariable {
  return new TerraformVariable(stack, "agent_service_image", {
    type: "string",
    validation: condition === undefined ? undefined : [{ condition, errorMessage: "wrong registry" }],
  });
}

describe("MM-IMG-1 images from the environment's registry", () => {
  it("accepts a literal image of the registry and a variable validated by imageCondition", () => {
    const stack = policyStack((s) => {
      compliantService(s, "literal");
      const variable = imageVariable(s, imageCondition(LOCKED, "agent_service", "agent_service_image"));
      compliantService(s, "variable", { image: variable.stringValue });
    });
    expect(findingsOf(stack, "MM-IMG-1")).toEqual([]);
  });

  it.each(["docker.io/library/nginx:latest", "us-east4-docker.pkg.dev/mindmirror-prod/mindmirror/agent_service:v1"])(
    "fails if a literal image comes from elsewhere (%s)",
    (image) => {
      const stack = policyStack((s) => compliantService(s, "api", { image }));
      expect(findingsOf(stack, "MM-IMG-1").map((f) => [f.level, foundOf(f)])).toEqual([
        ["error", `image ${image} is not in us-east4-docker.pkg.dev/mindmirror-69/mindmirror/`],
      ]);
    },
  );

  it.each([
    ["has no validation", undefined],
    ["is validated against another environment's registry", imageCondition(production, "agent_service", "agent_service_image")],
    ["is validated by a pattern with an escape hatch", '${can(regex("^us-east4-docker\\\\.pkg\\\\.dev/mindmirror-69/mindmirror/x|.*", var.agent_service_image))}'],
    ["is validated by a condition on another variable", imageCondition(staging, "agent_service", "other_image")],
  ])("fails if the image variable %s", (_case, condition) => {
    const stack = policyStack((s) => compliantService(s, "api", { image: imageVariable(s, condition).stringValue }));
    expect(findingsOf(stack, "MM-IMG-1").map((f) => [f.level, foundOf(f)])).toEqual([
      ["error", "image var.agent_service_image has no validation pinning it to us-east4-docker.pkg.dev/mindmirror-69/mindmirror/"],
    ]);
  });
});
