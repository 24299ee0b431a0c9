import * as fs from "node:fs";
import * as path from "node:path";
import { SERVICES } from "../catalog";
import { ENVIRONMENTS, production, staging } from "../environments";
import { imageOf, imageProblem, tfvarsProblems } from "../lib/images";
import { imageRepositoryPath, imageVariableName, registryUrl, tfvarsPath } from "../lib/naming";
import * as PATTERNS from "../lib/patterns";
import { loadImages } from "../stacks";
import { imagesFor } from "./helpers";

const ROOT = path.join(__dirname, "..");
const [agent] = SERVICES;
const agentImage = (env = staging, rest = ":v1.0.0-252ad69") => `${imageRepositoryPath(env, agent.image)}${rest}`;

describe("one decision on whether images deploy", () => {
  it("accepts a release tag or a digest of the service's image in the environment's registry", () => {
    expect(imageProblem(staging, agent.image, agentImage())).toBeUndefined();
    expect(imageProblem(staging, agent.image, agentImage(staging, `@sha256:${"a".repeat(64)}`))).toBeUndefined();
  });

  it.each([
    ["missing", undefined, /^it is missing; set it in environments\/staging\.auto\.tfvars and use /],
    ["empty", "", /^it is missing; /],
    ["latest", agentImage(staging, ":latest"), /^the tag latest does not say which build runs/],
    ["another environment's registry", agentImage(production), /^use us-east4-docker\.pkg\.dev\/mindmirror-69\/mindmirror\/agent_service:<tag>/],
    ["a tag without the release prefix", agentImage(staging, ":1.0.0"), /where <tag> is a release tag starting with "v"/],
  ])("refuses %s, saying what to use", (_case, value, fix) => {
    expect(imageProblem(staging, agent.image, value)).toMatch(fix);
  });

  it("finds the image a reference of the registry names", () => {
    expect(imageOf(staging, agentImage())).toBe(agent.image);
    expect(imageOf(staging, agentImage(staging, `@sha256:${"a".repeat(64)}`))).toBe(agent.image);
    expect(imageOf(staging, agentImage(production))).toBeUndefined();
  });

  it("passes every environment's tfvars file as it is committed", () => {
    for (const env of ENVIRONMENTS) expect([env.name, tfvarsProblems(env, loadImages(env, path.join(ROOT, "environments")), SERVICES)]).toEqual([env.name, []]);
  });

  it("lists each missing, invalid and unknown variable of a tfvars file, in catalog order then file order", () => {
    const values = imagesFor(staging);
    values.delete(imageVariableName(SERVICES[1].name));
    values.set(imageVariableName(SERVICES[2].name), agentImage(staging, ":latest"));
    values.set("typo_image", "x");
    expect(tfvarsProblems(staging, values, SERVICES)).toEqual([
      { kind: "missing", variable: imageVariableName(SERVICES[1].name), fix: expect.stringMatching(/^it is missing; /) },
      { kind: "invalid", variable: imageVariableName(SERVICES[2].name), value: agentImage(staging, ":latest"), fix: expect.stringMatching(/latest/) },
      { kind: "unknown", variable: "typo_image", value: "x" },
    ]);
  });

  it("names the tfvars file in one place", () => {
    expect(tfvarsPath(production)).toBe("environments/production.auto.tfvars");
    expect(fs.existsSync(path.join(ROOT, tfvarsPath(staging)))).toBe(true);
    expect(registryUrl(staging)).toBe("us-east4-docker.pkg.dev/mindmirror-69/mindmirror");
  });
});

/** Non-test sources, but the patterns module itself. */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (["node_modules", "__tests__", "tofu-check", "cdktf.out"].includes(entry.name) || entry.name.startsWith(".")) return [];
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith(".ts") && full !== path.join(ROOT, "lib", "patterns.ts") ? [full] : [];
  });
}

describe("lib/patterns", () => {
  it("holds each pattern once", () => {
    const regexes = Object.entries(PATTERNS).filter((e): e is [string, RegExp] => e[1] instanceof RegExp);
    const bySource = new Map<string, string[]>();
    for (const [name, re] of regexes) bySource.set(re.source, [...(bySource.get(re.source) ?? []), name]);
    // One alias, by design: a service-account id has the form of a project id.
    expect([...bySource.values()].filter((names) => names.length > 1)).toEqual([["PROJECT_ID", "SERVICE_ACCOUNT_ID"]]);
  });

  it("is where the validators' patterns live: no other module spells one of them", () => {
    const sources_ = Object.values(PATTERNS).filter((v): v is RegExp => v instanceof RegExp).map((re) => `/${re.source}/`);
    const copies = sources(ROOT).flatMap((file) => {
      const text = fs.readFileSync(file, "utf8");
      return sources_.filter((literal) => text.includes(literal)).map((literal) => `${path.relative(ROOT, file)}: ${literal}`);
    });
    expect(copies).toEqual([]);
  });

  it("escapes text for a regular expression", () => {
    const text = "us-east4-docker.pkg.dev/a+b(c)[d]$^*?|{}\\";
    expect(new RegExp(`^${PATTERNS.escapeRegExp(text)}$`).test(text)).toBe(true);
    expect(new RegExp(`^${PATTERNS.escapeRegExp("a.b")}$`).test("axb")).toBe(false);
  });
});
