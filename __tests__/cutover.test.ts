import * as fs from "node:fs";
import * as path from "node:path";
import { GITHUB } from "../environments/github";
import { generateWorkflows, TOOLCHAIN } from "../workflows";
import { APPLY_ORDER, LEFTOVERS, OLD_STATE_ADOPTED, OLD_STATE_DESTROYED, OLD_WORKFLOWS } from "../workflows/cutover";

const README = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
const section = README.slice(README.indexOf("## Cut-over\n"), README.indexOf("\n## ", README.indexOf("## Cut-over\n") + 5));

/** The shell block of the runbook's state step, joined into one command line per command. */
function commands(): string[] {
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1];
  return block
    .replace(/\s*\\\n\s*/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
}

describe("cut-over runbook (README)", () => {
  it("is a section of its own", () => {
    expect(section.startsWith("## Cut-over\n")).toBe(true);
    expect(section.length).toBeGreaterThan(2000);
  });

  it("removes exactly the adopted addresses from the old state, and destroys exactly the project-wide grants", () => {
    const [rm, destroy] = commands();
    expect(rm).toBe(`tofu state rm ${OLD_STATE_ADOPTED.map((a) => `'${a}'`).join(" ")}`);
    expect(destroy).toBe(`tofu destroy -var-file=<env>.tfvars ${OLD_STATE_DESTROYED.map((a) => `-target='${a}'`).join(" ")}`);
    expect(OLD_STATE_ADOPTED).toHaveLength(27);
    // The foundation adopts the traditions bucket and grants its bindings again: the old state lets go of all four.
    expect(OLD_STATE_ADOPTED.filter((a) => a.includes("google_storage_bucket"))).toEqual([
      "module.base.google_storage_bucket.traditions",
      "module.base.google_storage_bucket_iam_member.journal_sa_gcs_access",
      "module.base.google_storage_bucket_iam_member.agent_sa_gcs_access",
      "module.base.google_storage_bucket_iam_member.agent_sa_bucket_access",
    ]);
    expect(new Set([...OLD_STATE_ADOPTED, ...OLD_STATE_DESTROYED]).size).toBe(OLD_STATE_ADOPTED.length + OLD_STATE_DESTROYED.length);
    expect(OLD_STATE_DESTROYED.every((a) => a.includes("google_project_iam_member") && a.endsWith("_secret_access"))).toBe(true);
  });

  it("deletes every old workflow in the same pull request that adds the generated ones", () => {
    for (const file of OLD_WORKFLOWS) expect([file, section.includes(`\`${file}\``)]).toEqual([file, true]);
    expect(section).toMatch(/One pull request\*\* that replaces `infra\/` with this project and, in the\s+same commit, deletes every old workflow file/);
    // Old files of the same name are replaced by the generated ones; the others are gone.
    const generated = new Set(generateWorkflows().keys());
    expect(OLD_WORKFLOWS.filter((f) => generated.has(f))).toEqual(["tofu-apply-gateway-production.yml", "tofu-apply-gateway-staging.yml", "tofu-apply-production.yml", "tofu-apply-staging.yml"]);
  });

  it("removes the leftovers: the extra provider, the broad deployer account and the broad roles", () => {
    for (const leftover of LEFTOVERS) expect([leftover, section.includes(`\`${leftover}\``)]).toEqual([leftover, true]);
    expect(section).toContain("gcloud iam workload-identity-pools providers delete github-provider");
    expect(section).toContain("gcloud iam service-accounts delete open-tofu-deployer@");
    expect(section).toContain("the broad roles `06-bootstrap-wif.sh` gave `github-actions-<env>`");
  });

  it("orders the applies foundation, github, services, gateway, with the foundation before the old workflows stop", () => {
    expect(APPLY_ORDER).toEqual(["foundation", "github", "services", "gateway"]);
    expect(section).toContain(`**${APPLY_ORDER.join(" → ")}**`);
    const at = (text: string) => section.indexOf(text);
    expect(at("**Apply `foundation-staging`, then `foundation-production`**")).toBeLessThan(at("**Stop the old chain:**"));
    expect(at("**Stop the old chain:**")).toBeLessThan(at("**Move the old state**"));
    expect(at("**Move the old state**")).toBeLessThan(at("**Apply the `github` stack**"));
    expect(at("**Apply the `github` stack**")).toBeLessThan(at("**One pull request**"));
    expect(at("**One pull request**")).toBeLessThan(at("**Remove the leftovers**"));
  });

  it("names the OpenTofu version maintainers must use, the pipeline's own", () => {
    expect(section).toContain(`OpenTofu **${TOOLCHAIN.tofu}**, the pipeline's version`);
  });

  it("tells how to read the numeric ids the Workload Identity condition can require", () => {
    expect(README).toContain(`gh api repos/${GITHUB.owner}/${GITHUB.repository} --jq '.id,`);
  });
});
