/**
 * Jest for mutation runs (stryker.config.cjs): the suites of the files being
 * mutated (MUTATION_SUITES, a JSON list set by scripts/mutate.mjs), or of
 * every target.
 * The temp folder is removed after each run but not checked: a mutant may
 * well make a test fail before its cleanup.
 */
const base = require("./jest.config");
const { allSuites } = require("./scripts/mutation-targets.cjs");

const suites = process.env.MUTATION_SUITES ? JSON.parse(process.env.MUTATION_SUITES) : allSuites();

module.exports = {
  ...base,
  testMatch: suites.map((glob) => `<rootDir>/__tests__/${glob}`),
  reporters: ["default"],
  // Child processes of a mutant run beside Stryker's other workers, so they start slower.
  testTimeout: 20000,
  globalSetup: "<rootDir>/scripts/jest-global-setup-mutate.js",
  globalTeardown: "<rootDir>/scripts/jest-global-cleanup.js",
};
