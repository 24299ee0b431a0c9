/**
 * cdktf's index loads archiver (to zip a TerraformAsset, which no stack here
 * uses) and its dependencies, a third of loading cdktf; every app run and
 * every jest test file pays it. This stands in for the module and loads the
 * real one on first use (`archiver(format, options)`, the one call cdktf
 * makes). The app's loader (swc-register.cjs) puts it in the module cache,
 * jest maps `archiver` to it.
 */
const path = require("node:path");

/** The archiver cdktf itself would load. */
const REAL = require.resolve("archiver", { paths: [path.dirname(require.resolve("cdktf"))] });

let real;
function archiver(...args) {
  if (real === undefined) {
    delete require.cache[REAL];
    real = require(REAL);
  }
  return real(...args);
}

module.exports = archiver;
module.exports.REAL = REAL;
