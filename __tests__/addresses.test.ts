import { ENVIRONMENTS } from "../environments";
import { buildStacks, resourcesOf, synth } from "./helpers";

/**
 * Terraform addresses of the stateful resources. A changed address makes
 * OpenTofu destroy and recreate the resource (a new service account, a
 * deleted secret): if one of these must change, add a `moveTo` and update
 * this list in the same commit.
 */
const BACKENDS = ["agent", "journal", "habits", "meals", "movements", "practices", "users"];
const PINNED = {
  foundation: [
    // The runtime accounts live in the foundation; the services name them by email.
    ...BACKENDS.map((s) => `google_service_account.${s}_service`),
    "google_service_account.gateway",
    "google_storage_bucket.traditions",
    "google_storage_bucket_iam_member.traditions_agent_service_storage_legacy_bucket_reader",
    "google_storage_bucket_iam_member.traditions_agent_service_storage_object_admin",
    "google_storage_bucket_iam_member.traditions_journal_service_storage_object_viewer",
  ],
  services: [
    ...BACKENDS.map((s) => `google_cloud_run_v2_service.${s}_service`),
    "google_secret_manager_secret.service_urls",
    "google_secret_manager_secret_version.service_urls",
  ],
  gateway: ["google_cloud_run_v2_service.gateway"],
};
const STATEFUL = [
  "google_cloud_run_v2_service",
  "google_service_account",
  "google_secret_manager_secret",
  "google_secret_manager_secret_version",
  "google_storage_bucket",
  "google_storage_bucket_iam_member",
];
/** Resources of the foundation whose addresses its own tests pin (CI accounts, state bucket, its log bucket and their grants). */
const FOUNDATION_CI =
  /^google_service_account\.(deployer|builder|planner)$|^google_storage_bucket\.tofu_state(_access_logs)?$|^google_storage_bucket_iam_member\.((deployer|builder|planner)_|tofu_state_access_logs_writer$)/;

describe.each(ENVIRONMENTS.map((env) => [env.name, env] as const))("stateful addresses in %s", (_name, env) => {
  const stacks = buildStacks(env);
  it.each(["foundation", "services", "gateway"] as const)("%s stack keeps its pinned addresses", (kind) => {
    const { json } = synth(stacks[kind]);
    const addresses = STATEFUL.flatMap((type) => Object.keys(resourcesOf(json, type)).map((name) => `${type}.${name}`)).filter(
      (address) => !FOUNDATION_CI.test(address),
    );
    expect(addresses.sort()).toEqual([...PINNED[kind]].sort());
  });
});
