/**
 * How the app, the ops commands and the scripts run their TypeScript
 * (cdktf.json: `node --require ./scripts/swc-register.cjs main.ts`, and
 * likewise package.json's scripts): transpiled only, by swc with the options
 * jest uses, so they run the code the tests ran. Type checking is
 * `npm run typecheck`.
 *
 * Why not tsx: it also reads and scans every JavaScript file it loads (cdktf
 * and the provider packages: hundreds) for ESM syntax, and turns on source
 * maps, which makes node decode the inline map of every cdktf file; together
 * a second of the app's two, and half a second of every ops command's start.
 */
const crypto = require("node:crypto");
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");

/** The options of jest.config.js's @swc/jest transform. */
const SWC_OPTIONS = { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" }, sourceMaps: false };
/**
 * Transpiled files by a hash of their source, swc's version and the options,
 * so a run with every file unchanged does not load swc at all.
 */
const CACHE = path.join(__dirname, "..", "node_modules", ".cache", "swc-register");
const VERSION = `${require("@swc/core/package.json").version} ${JSON.stringify(SWC_OPTIONS)}`;

Module._extensions[".ts"] = function compileTypeScript(module, filename) {
  const source = fs.readFileSync(filename, "utf8");
  const key = crypto.createHash("sha256").update(VERSION).update("\0").update(source).digest("hex");
  const cached = path.join(CACHE, `${key}.js`);
  let code;
  try {
    code = fs.readFileSync(cached, "utf8");
  } catch {
    code = require("@swc/core").transformSync(source, { ...SWC_OPTIONS, filename }).code;
    try {
      fs.mkdirSync(CACHE, { recursive: true });
      // Written aside and renamed, so a parallel run never reads half a file.
      const partial = `${cached}.${process.pid}`;
      fs.writeFileSync(partial, code);
      fs.renameSync(partial, cached);
    } catch {
      // A read-only checkout runs uncached.
    }
  }
  module._compile(code, filename);
};

// cdktf loads archiver on first use only; see lazy-archiver.cjs.
const lazyArchiver = require("./lazy-archiver.cjs");
const stand = new Module(lazyArchiver.REAL, module);
stand.filename = lazyArchiver.REAL;
stand.loaded = true;
stand.exports = lazyArchiver;
require.cache[lazyArchiver.REAL] = stand;
