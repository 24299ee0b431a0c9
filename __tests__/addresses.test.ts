import * as fs from "node:fs";
import * as path from "node:path";
import { SERVICES } from "../catalog";
import { ENVIRONMENTS } from "../environments";
import { buildStacks, resourcesOf, synth, type TerraformJson } from "./helpers";

/**
 * Terraform addresses of the stateful resources. A changed address makes
 * OpenTofu destroy and recreate the resource (a new service account, a
 * deleted secret): if one of these must change, add a `moveTo` and update
 * this list in the same commit.
 */
const BACKENDS = ["agent", "journal", "habits", "meals", "movements", "practices", "users"];
const INVOKER = "google_cloud_run_v2_service_iam_member";
const PINNED = {
  foundation: [
    // The runtime accounts live in the foundation; the services name them by email.
    ...BACKENDS.map((s) => `google_service_account.${s}_service`),
    "google_service_account.gateway",
    "google_storage_bucket.traditions",
    "google_storage_bucket_iam_member.traditions_agent_service_storage_legacy_bucket_reader",
    "google_storage_bucket_iam_member.traditions_agent_service_storage_object_admin",
    "google_storage_bucket_iam_member.traditions_journal_service_storage_object_viewer",
    // One read grant per secret a service uses: <service>_secret_<secret>.
    ...SERVICES.flatMap((s) => s.secretEnv.map((secret) => `google_secret_manager_secret_iam_member.${s.name.replace(/-/g, "_")}_secret_${secret.toLowerCase()}`)),
  ],
  services: [
    ...BACKENDS.map((s) => `google_cloud_run_v2_service.${s}_service`),
    // run.invoker bindings: <service>_invoker_<grantee>, the call graph's edges and the environment's public backends.
    ...BACKENDS.map((s) => `${INVOKER}.${s}_service_invoker_public`),
    `${INVOKER}.agent_service_invoker_journal_service`,
    `${INVOKER}.agent_service_invoker_users_service`,
    `${INVOKER}.habits_service_invoker_users_service`,
    `${INVOKER}.journal_service_invoker_agent_service`,
    `${INVOKER}.journal_service_invoker_users_service`,
    `${INVOKER}.meals_service_invoker_users_service`,
    `${INVOKER}.movements_service_invoker_users_service`,
    `${INVOKER}.users_service_invoker_journal_service`,
    `${INVOKER}.users_service_invoker_practices_service`,
    "google_secret_manager_secret.service_urls",
    "google_secret_manager_secret_version.service_urls",
  ],
  gateway: [
    "google_cloud_run_v2_service.gateway",
    `${INVOKER}.gateway_invoker_public`,
    // The gateway calls every backend; the grant sits in its stack, on the backend's name.
    ...BACKENDS.map((s) => `${INVOKER}.${s}_service_invoker_gateway`),
  ],
};
const STATEFUL = [
  "google_cloud_run_v2_service",
  INVOKER,
  "google_service_account",
  "google_secret_manager_secret",
  "google_secret_manager_secret_version",
  "google_secret_manager_secret_iam_member",
  "google_storage_bucket",
  "google_storage_bucket_iam_member",
];
/** Resources of the foundation whose addresses its own tests pin (CI accounts, state bucket, its log bucket and their grants). */
const FOUNDATION_CI =
  /^google_service_account\.(deployer|builder|planner)$|^google_storage_bucket\.tofu_state(_access_logs)?$|^google_storage_bucket_iam_member\.((deployer|builder|planner)_|tofu_state_access_logs_writer$)|^google_secret_manager_secret_iam_member\.(deployer|builder|planner)_/;

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

/** The moved blocks that carry each invoker binding from the hashed address cdktf gave it to its readable one. */
describe.each(ENVIRONMENTS.map((env) => [env.name, env] as const))("invoker bindings moved from hashed addresses in %s", (_name, env) => {
  const stacks = buildStacks(env);
  const fixture = path.join(__dirname, "fixtures", "hashed-invoker-bindings.json");
  const before = JSON.parse(fs.readFileSync(fixture, "utf8")) as Record<string, Record<string, Record<string, string>>>;
  it.each(["services", "gateway"] as const)("%s: every old address moves, once, to a binding with the same content", (kind) => {
    const { json } = synth(stacks[kind]);
    const old = before[`${kind}-${env.name}`];
    const moved = (json as TerraformJson & { moved?: { from: string; to: string }[] }).moved ?? [];
    const bindings = resourcesOf(json, INVOKER);
    expect(Object.keys(old).length).toBeGreaterThan(0);
    expect(moved.map((m) => m.from).sort()).toEqual(Object.keys(old).sort());
    for (const [from, binding] of Object.entries(old)) {
      const to = moved.find((m) => m.from === from)!.to;
      expect(to.startsWith(`${INVOKER}.`)).toBe(true);
      const { project, location, name, role, member } = bindings[to.slice(INVOKER.length + 1)] ?? {};
      expect({ to, binding: { project, location, name, role, member } }).toEqual({ to, binding });
    }
    // Nothing moves onto itself or onto a binding twice; an old address is never also in the config.
    expect(new Set(moved.map((m) => m.to)).size).toBe(moved.length);
    expect(Object.keys(bindings).sort()).toEqual(moved.map((m) => m.to.slice(INVOKER.length + 1)).sort());
  });
});
