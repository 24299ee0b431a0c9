/** Jest: TypeScript is transpiled only (type checking is `npm run typecheck`). */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.(t|j)sx?$": [
      "@swc/jest",
      { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" } },
    ],
  },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  // A fresh TMPDIR per run; the teardown fails the run if a test left anything in it.
  globalSetup: "<rootDir>/scripts/jest-global-setup.js",
  globalTeardown: "<rootDir>/scripts/jest-global-teardown.js",
  moduleFileExtensions: ["ts", "js", "json"],
  // cdktf loads archiver on first use only, as the app does (scripts/lazy-archiver.cjs).
  moduleNameMapper: { "^archiver$": "<rootDir>/scripts/lazy-archiver.cjs" },
  // One worker per core: jest's default leaves one core idle (cores - 1), which on 2 cores runs every suite in turn.
  maxWorkers: "100%",
  reporters: ["default", "<rootDir>/scripts/jest-summary.js"],
};
