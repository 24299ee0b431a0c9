const fs = require("node:fs");

/**
 * Ends every jest run with one plain line, `N passed, N failed[, N skipped]`,
 * which CI reads to know tests ran; with JEST_SUMMARY_FILE set, the line is
 * also written there so .ci/run can repeat it as its closing line. A test
 * skipped on purpose says why in its title ("… skipped: <why>"); those are
 * listed first, one line each (tests left out by -t are not).
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    for (const file of results.testResults) {
      for (const test of file.testResults) if (test.status === "pending" && / skipped: /.test(` ${test.title}`)) process.stdout.write(`\nskipped: ${test.title}`);
    }
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ""}`;
    process.stdout.write(`\n${line}\n`);
    if (process.env.JEST_SUMMARY_FILE) fs.writeFileSync(process.env.JEST_SUMMARY_FILE, `${line}\n`);
  }
}
module.exports = SummaryReporter;
