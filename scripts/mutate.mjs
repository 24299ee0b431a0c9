/**
 * npm run mutate [-- <file>...] [--concurrency N] [--full]
 *
 * Mutation testing with Stryker, each target file against the suites
 * scripts/mutation-targets.cjs gives it, then one table: per file the
 * score (killed + timed out, over all mutants that ran), its counts and every
 * surviving mutant. Incremental: a re-run retests only mutants whose code or
 * tests changed since the last one (reports/mutation/, not committed);
 * `--full` ignores those results. Exits 1 when a file scores below 90%.
 */
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { Stryker } from "@stryker-mutator/core";

const require = createRequire(import.meta.url);
const { TARGETS } = require("./mutation-targets.cjs");
const GOAL = 90;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { concurrency: { type: "string" }, full: { type: "boolean", default: false } },
});
const targets = positionals.length > 0 ? positionals.map((p) => path.normalize(p)) : Object.keys(TARGETS);
const unknown = targets.filter((t) => !(t in TARGETS));
if (unknown.length > 0) {
  console.error(`mutate: ${unknown.join(", ")} is not a mutation target; use one of ${Object.keys(TARGETS).join(", ")}`);
  process.exit(2);
}

// Files tested against the same suites share one Stryker run (one initial test run).
const groups = new Map();
for (const target of targets) {
  const key = JSON.stringify(TARGETS[target]);
  groups.set(key, [...(groups.get(key) ?? []), target]);
}

const rows = [];
for (const [suites, files] of groups) {
  // Read by jest.mutate.config.js in Stryker's test-runner processes, which inherit it.
  process.env.MUTATION_SUITES = suites;
  const id = createHash("sha1").update(files.join("\n")).digest("hex").slice(0, 12);
  let results;
  try {
    results = await new Stryker({
      configFile: "stryker.config.cjs",
      mutate: files,
      incrementalFile: `reports/mutation/${id}.incremental.json`,
      force: values.full,
      ...(values.concurrency ? { concurrency: Number(values.concurrency) } : {}),
    }).runMutationTest();
  } catch (error) {
    // Stryker has logged why (e.g. a failing test in the initial run); the other files still run.
    console.error(`mutate: ${files.join(", ")}: ${error.message}`);
    for (const target of files) rows.push({ target, failed: true, results: [] });
    continue;
  }
  for (const target of files) {
    rows.push({ target, results: results.filter((r) => path.relative(process.cwd(), path.resolve(r.fileName)) === target) });
  }
}

const count = (results, ...statuses) => results.filter((r) => statuses.includes(r.status)).length;
const table = rows.map((row) => {
  const { target, results } = row;
  const detected = count(results, "Killed", "Timeout");
  const undetected = count(results, "Survived", "NoCoverage");
  const score = detected + undetected === 0 ? 100 : (100 * detected) / (detected + undetected);
  return { target, failed: row.failed === true, score, detected, survived: count(results, "Survived"), noCoverage: count(results, "NoCoverage"), errors: count(results, "RuntimeError", "CompileError"), results };
});

const pad = (s, n) => String(s).padEnd(n);
const width = Math.max(...table.map((r) => r.target.length), 4);
console.log(`\n${pad("file", width)}  score   killed  survived  no cov  errors`);
for (const r of table) {
  if (r.failed) {
    console.log(`${pad(r.target, width)}  not run (see the error above)`);
    continue;
  }
  const mark = r.score < GOAL ? `  below ${GOAL}%` : "";
  console.log(`${pad(r.target, width)}  ${pad(`${r.score.toFixed(1)}%`, 6)}  ${pad(r.detected, 6)}  ${pad(r.survived, 8)}  ${pad(r.noCoverage, 6)}  ${r.errors}${mark}`);
}
for (const r of table) {
  for (const m of r.results.filter((x) => x.status === "Survived" || x.status === "NoCoverage")) {
    const at = `${r.target}:${m.location.start.line}:${m.location.start.column}`;
    console.log(`${m.status === "Survived" ? "survived" : "no coverage"}  ${at}  ${m.mutatorName}  ${JSON.stringify(m.replacement)}`);
  }
}
process.exitCode = table.some((r) => r.failed || r.score < GOAL) ? 1 : 0;
