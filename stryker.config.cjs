// @ts-check
/**
 * Mutation testing (`npm run mutate`, see README "Mutation testing"). Run
 * through scripts/mutate.mjs, which gives each file its own suites; a plain
 * `npx stryker run` mutates every target against all their suites.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
const { TARGETS } = require("./scripts/mutation-targets.cjs");

module.exports = {
  testRunner: "jest",
  plugins: ["@stryker-mutator/jest-runner"],
  jest: { configFile: "jest.mutate.config.js", enableFindRelatedTests: false },
  coverageAnalysis: "perTest",
  concurrency: 2,
  mutate: Object.keys(TARGETS),
  // Results of the last run; a re-run tests only mutants whose code or tests changed.
  incremental: true,
  incrementalFile: "reports/mutation/stryker-incremental.json",
  reporters: ["clear-text", "progress"],
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: ".stryker-tmp",
  ignorePatterns: ["cdktf.out", "reports", "coverage", ".github", ".tmp"],
  timeoutMS: 20000,
  cleanTempDir: true,
};
