/**
 * The files mutation testing covers, each with the test suites that really
 * exercise it (globs under __tests__/). Listed by hand because Stryker's
 * "related tests" follow imports only: the suites that run main.ts or an ops
 * command in a child process import neither, yet they catch mutants there
 * (the child inherits the active mutant through the environment). Suites
 * that only run the committed configuration end to end (main.test.ts) are
 * left out where in-process suites check the same and more.
 */
// The rule suites. The pack's own suites (app, pack, suppressions) run the rules
// only to test the pack around them, and each rule-text mutant would rerun them all.
const POLICY = ["policy/{iam,img,prod,run,sec}.test.ts", "validation/policy-*.test.ts"];
const STACKS = ["services-stack.test.ts", "gateway-stack.test.ts", "addresses.test.ts"];

const TARGETS = {
  "catalog/validate.ts": ["catalog.test.ts", "validation/catalog.test.ts"],
  // environments.test.ts builds every stack of both environments to check what the
  // values produce; each regex mutant would rebuild them all, for no check of its own.
  "environments/validate.ts": ["validation/environments.test.ts"],
  // Not the stack suites: each mutant of a naming rule would rebuild every stack.
  "lib/naming.ts": ["naming.test.ts", "validation/naming.test.ts"],
  "lib/images.ts": ["images.test.ts", "validation/images.test.ts", "ops/set-image.test.ts", "validation/set-image.test.ts", "policy/img.test.ts"],
  // Not ops/rollback.test.ts: it needs the git repository, which Stryker's sandbox is not.
  "lib/tfvars.ts": ["tfvars.test.ts", "validation/tfvars.test.ts", "images.test.ts", "ops/set-image.test.ts"],
  "ops/set-image.ts": ["ops/set-image.test.ts", "validation/set-image.test.ts", "ops/cli.test.ts"],
  "constructs/cloud-run-service.ts": [...STACKS, "validation/cloud-run-service.test.ts", "policy/run.test.ts"],
  "constructs/invoker-grant.ts": [...STACKS, "policy/iam.test.ts"],
  "constructs/service-urls-secret.ts": [...STACKS],
  "policy/rules/iam-project-roles.ts": POLICY,
  "policy/rules/iam-public-invoker.ts": POLICY,
  "policy/rules/img-environment-registry.ts": POLICY,
  "policy/rules/prod-deletion-protection.ts": POLICY,
  "policy/rules/prod-no-force-destroy.ts": POLICY,
  "policy/rules/run-environment-labels.ts": POLICY,
  "policy/rules/run-max-instances.ts": POLICY,
  "policy/rules/run-own-service-account.ts": POLICY,
  "policy/rules/run-startup-probe.ts": POLICY,
  "policy/rules/sec-plain-secret-env.ts": POLICY,
  // The cross-environment guards and the one deployability decision.
  "environments/guards.ts": ["guards.test.ts", "synth-errors.test.ts"],
  "lib/patterns.ts": ["validation/*.test.ts", "guards.test.ts", "deployable.test.ts"],
  // The CI topology every approval gate derives, and the discovery of the environments.
  "lib/ci.ts": ["ci-topology.test.ts", "github/github-stack.test.ts", "foundation/builder.test.ts", "foundation/github-identity.test.ts", "foundation/planner.test.ts"],
  "environments/discover.ts": ["discover.test.ts"],
  // The plan classifier behind plan-summary.
  "lib/plan.ts": ["plan-classifier.test.ts", "ops/plan-summary.test.ts"],
  // The offline OpenTofu check: the plugin's value rules, the fixtures and the runner.
  // The harness suites run the real core, so a mutant there costs a full check run.
  "tofu-check/values.js": ["tofu-check/values.test.ts", "tofu-check/harness.test.ts"],
  "tofu-check/schemas.ts": ["tofu-check/fixtures.test.ts"],
  "tofu-check/harness.ts": ["tofu-check/bad-input.test.ts", "tofu-check/harness.test.ts"],
};

/** The suites of every target. */
function allSuites() {
  return [...new Set(Object.values(TARGETS).flat())];
}

module.exports = { TARGETS, allSuites };
