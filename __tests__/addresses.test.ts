import { ENVIRONMENTS } from "../environments";
import { buildStacks, resourcesOf, synth } from "./helpers";

/**
 * Terraform addresses of the stateful resources. A changed address makes
 * OpenTofu destroy and recreate the resource (a new service account, a
 * deleted secret): if one of these must change, add a `moveTo` and update
 * this list in the same commit.
 */
const PINNED = {
  services: [
    ...["agent", "journal", "habits", "meals", "movements", "practices", "users"].flatMap((s) => [
      `google_cloud_run_v2_service.${s}_service`,
      `google_service_account.${s}_service`,
    ]),
    "google_secret_manager_secret.service_urls",
    "google_secret_manager_secret_version.service_urls",
  ],
  gateway: ["google_cloud_run_v2_service.gateway", "google_service_account.gateway"],
};
const STATEFUL = ["google_cloud_run_v2_service", "google_service_account", "google_secret_manager_secret", "google_secret_manager_secret_version"];

describe.each(ENVIRONMENTS.map((env) => [env.name, env] as const))("stateful addresses in %s", (_name, env) => {
  const stacks = buildStacks(env);
  it.each(["services", "gateway"] as const)("%s stack keeps its pinned addresses", (kind) => {
    const { json } = synth(stacks[kind]);
    const addresses = STATEFUL.flatMap((type) => Object.keys(resourcesOf(json, type)).map((name) => `${type}.${name}`));
    expect(addresses.sort()).toEqual([...PINNED[kind]].sort());
  });
});
