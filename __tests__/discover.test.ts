/**
 * Environments are found as pairs, `<name>.ts` and `<name>.auto.tfvars`; a
 * file of the pair alone is named, with the fix, and nothing is listed by hand.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ENVIRONMENT_FILE_PROBLEMS, ENVIRONMENT_SOURCES, ENVIRONMENTS, production, staging } from "../environments";
import { discoverEnvironments } from "../environments/discover";

describe("environment discovery", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "discover-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** An environment module `<file>.ts` exporting `exportName` as an environment named `name`, of deploy order `order`. */
  const module = (file: string, exportName: string, name: string, order: number) =>
    fs.writeFileSync(path.join(dir, `${file}.ts`), `export const ${exportName} = { name: ${JSON.stringify(name)}, deployOrder: ${order} };\n`);
  const tfvars = (name: string) => fs.writeFileSync(path.join(dir, `${name}.auto.tfvars`), "");

  it("finds the committed environments, staging before production, each with its file", () => {
    expect(ENVIRONMENTS).toEqual([staging, production]);
    expect(ENVIRONMENT_FILE_PROBLEMS).toEqual([]);
    expect(ENVIRONMENTS.map((e) => ENVIRONMENT_SOURCES.get(e))).toEqual(["environments/staging.ts", "environments/production.ts"]);
  });

  it("orders by deployOrder, then by name, whatever the file names", () => {
    for (const [name, order] of [["zulu", 1], ["alpha", 2], ["beta", 1]] as const) {
      module(name, name, name, order);
      tfvars(name);
    }
    expect(discoverEnvironments(dir).environments.map((e) => e.name)).toEqual(["beta", "zulu", "alpha"]);
  });

  it("ignores a module without its tfvars file, and other files", () => {
    module("draft", "draft", "draft", 1);
    fs.writeFileSync(path.join(dir, "notes.txt"), "");
    fs.writeFileSync(path.join(dir, "Bad.auto.tfvars"), "");
    expect(discoverEnvironments(dir)).toEqual({ environments: [], sources: new Map(), problems: [] });
  });

  it("names a tfvars file without its module, and a module whose export is not its environment, one line each, in file order", () => {
    // Created out of order, so the listing is sorted by discovery, not by the folder.
    module("dev", "development", "dev", 1);
    tfvars("dev");
    tfvars("qa");
    fs.writeFileSync(path.join(dir, "beta.ts"), "export const beta = null;\n");
    tfvars("beta");
    module("demo", "demo", "demonstration", 1);
    tfvars("demo");
    const { environments, problems } = discoverEnvironments(dir, "environments");
    expect(environments).toEqual([]);
    expect(problems.map((p) => p.message)).toEqual([
      "environments/beta.ts export beta: null is not valid; export `const beta: EnvironmentConfig` whose name is \"beta\", as its tfvars file is beta.auto.tfvars",
      'environments/demo.ts export demo: "demonstration" is not valid; export `const demo: EnvironmentConfig` whose name is "demo", as its tfvars file is demo.auto.tfvars',
      "environments/dev.ts export dev: undefined is not valid; export `const dev: EnvironmentConfig` whose name is \"dev\", as its tfvars file is dev.auto.tfvars",
      'environments/qa.auto.tfvars: "qa" is not valid; it has no environment: add environments/qa.ts exporting `const qa: EnvironmentConfig`, or remove the file',
    ]);
  });
});
