const path = require("node:path");

// Mutation runs: the run's temp folder lives in Stryker's sandbox, which
// Stryker removes, so a run it kills on a timeout (before jest's teardown)
// leaves nothing behind either.
module.exports = () => require("./jest-tmpdir").setup(path.join(__dirname, "..", ".tmp"));
