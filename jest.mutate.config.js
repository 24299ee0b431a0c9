/**
 * Jest for mutation runs (stryker.config.cjs): the suites of the file being
 * mutated (MUTATION_TARGET, set by scripts/mutate.mjs), or of every target.
 * The temp folder is removed after each run but not checked: a mutant may
 * well make a test fail before its cleanup.
 */
const base = require("./jest.config");
const { suitesOf } = require("./scripts/mutation-targets.cjs");

module.exports = {
  ...base,
  testMatch: suitesOf(process.env.MUTATION_TARGET).map((glob) => `<rootDir>/__tests__/${glob}`),
  reporters: ["default"],
  globalTeardown: "<rootDir>/scripts/jest-global-cleanup.js",
};
