/**
 * Image references a person or the pipeline could write, at the limits of a
 * tag and a digest and with junk before or after a valid reference.
 */
import { production, staging } from "../../environments";
import { imageCondition, imageForms, isValidImage, validateImage } from "../../lib/images";
import { errorOf } from "./error-of";

const REPO = "us-east4-docker.pkg.dev/mindmirror-69/mindmirror/mesh";
const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;
const x = (n: number, c = "a") => c.repeat(n);


describe("image references", () => {
  it.each([`${REPO}:v1`, `${REPO}:v`, `${REPO}:v9`, `${REPO}:vA.b-c_d`, `${REPO}:v${x(127)}`, `${REPO}@${DIGEST}`])("accepts %j", (value) => {
    expect(isValidImage(staging, "mesh", value)).toBe(true);
  });

  it.each([
    ["a tag one past 128 characters", `${REPO}:v${x(128)}`],
    ["a tag that is not a release tag", `${REPO}:1.0.0`],
    ["a tag with the prefix in upper case", `${REPO}:V1`],
    ["the tag latest", `${REPO}:latest`],
    ["a tag starting with '.'", `${REPO}:.v1`],
    ["a tag starting with '-'", `${REPO}:-v1`],
    ["a tag with a '/'", `${REPO}:v1/x`],
    ["junk after the tag", `${REPO}:v1!`],
    ["a space after the tag", `${REPO}:v1 `],
    ["junk before the registry", `x${REPO}:v1`],
    ["a scheme before the registry", `https://${REPO}:v1`],
    ["a digest one short", `${REPO}@${DIGEST.slice(0, -1)}`],
    ["a digest one long", `${REPO}@${DIGEST}0`],
    ["an upper-case digest", `${REPO}@${DIGEST.replace("abcdef", "ABCDEF")}`],
    ["junk after the digest", `${REPO}@${DIGEST}!`],
    ["a digest of another algorithm", `${REPO}@sha512:${DIGEST.slice(7)}`],
    ["a tag and a digest", `${REPO}:v1@${DIGEST}`],
    ["another image of the registry", `${REPO}x:v1`],
    ["a '.' of the host replaced", REPO.replace("docker.pkg", "docker-pkg") + ":v1"],
    ["the other environment's registry", `${REPO.replace("mindmirror-69", "mindmirror-prod")}:v1`],
  ])("rejects %s", (_what, value) => {
    expect(isValidImage(staging, "mesh", value)).toBe(false);
  });

  it("names the missing or bad variable, the file to set it in and the accepted forms", () => {
    expect(imageForms(staging, "mesh")).toBe(`${REPO}:<tag> or ${REPO}@sha256:<64 hex digits>`);
    const forms = `${REPO}:<tag> or ${REPO}@sha256:<64 hex digits>, where <tag> is a release tag starting with "v" (e.g. v1.0.0-252ad69)`;
    for (const missing of [undefined, ""]) {
      expect(errorOf(() => validateImage(staging, "gateway_image", "mesh", missing))).toBe(
        `staging image variable gateway_image: null is not valid; it is missing; set it in environments/staging.auto.tfvars and use ${forms}`.replace(
          "null",
          missing === undefined ? "null" : '""',
        ),
      );
    }
    expect(errorOf(() => validateImage(staging, "gateway_image", "mesh", `${REPO}:v1 `))).toBe(
      `staging image variable gateway_image: "${REPO}:v1 " is not valid; use ${forms}`,
    );
    expect(validateImage(staging, "gateway_image", "mesh", `${REPO}:v1`)).toBe(`${REPO}:v1`);
  });

  it("hands OpenTofu the same pattern, its backslashes doubled for HCL", () => {
    expect(imageCondition(production, "mesh", "gateway_image")).toBe(
      '${can(regex("^us-east4-docker\\\\.pkg\\\\.dev/mindmirror-prod/mindmirror/mesh(:v[A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$", var.gateway_image))}',
    );
  });
});
