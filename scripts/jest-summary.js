const fs = require("node:fs");

/**
 * Ends every jest run with one plain line, `N passed, N failed[, N skipped]`,
 * which CI reads to know tests ran; with JEST_SUMMARY_FILE set, the line is
 * also written there so .ci/run can repeat it as its closing line. A check
 * that cannot run here (no OpenTofu binary) is a test titled
 * "… skipped: <why>" that asserts why; those are listed first, one line each.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    for (const file of results.testResults) {
      for (const test of file.testResults) if (test.status === "passed" && / skipped: /.test(` ${test.title}`)) process.stdout.write(`\nskipped: ${test.title}`);
    }
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ""}`;
    process.stdout.write(`\n${line}\n`);
    if (process.env.JEST_SUMMARY_FILE) fs.writeFileSync(process.env.JEST_SUMMARY_FILE, `${line}\n`);
  }
}
module.exports = SummaryReporter;
