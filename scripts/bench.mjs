#!/usr/bin/env node
// Measures synth and test speed against the goals in the README:
//   app run directly < 1 s, `npx cdktf synth` < 5 s, peak RSS < 250 MB,
//   the offline OpenTofu check on all 7 stacks < 10 s, `npm test` < 35 s.
// Wall time is the median of several runs; peak RSS is the largest process of
// the run's tree, read by GNU time (`/usr/bin/time -f %M`).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const runs = Number(process.env.BENCH_RUNS ?? 3);
const gnuTime = fs.existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
const env = { ...process.env, CHECKPOINT_DISABLE: "1", CI: "true" };

function measure(label, command, args, extraEnv = {}) {
  const walls = [];
  let peakKb;
  for (let i = 0; i < runs; i++) {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-"));
    const full = { ...env, CDKTF_OUTDIR: outdir, ...extraEnv };
    const argv = args.map((a) => a.replace("{outdir}", outdir));
    const start = process.hrtime.bigint();
    const result = gnuTime
      ? spawnSync(gnuTime, ["-f", "BENCH_RSS_KB=%M", command, ...argv], { cwd: root, env: full, encoding: "utf8" })
      : spawnSync(command, argv, { cwd: root, env: full, encoding: "utf8" });
    walls.push(Number(process.hrtime.bigint() - start) / 1e9);
    fs.rmSync(outdir, { recursive: true, force: true });
    if (result.status !== 0) {
      process.stderr.write(result.stdout + result.stderr);
      throw new Error(`${label} failed with exit code ${result.status}`);
    }
    const rss = /BENCH_RSS_KB=(\d+)/.exec(result.stderr ?? "");
    if (rss) peakKb = Math.max(peakKb ?? 0, Number(rss[1]));
  }
  walls.sort((a, b) => a - b);
  return { label, wall: walls[Math.floor(walls.length / 2)], peakMb: peakKb === undefined ? undefined : peakKb / 1024 };
}

const app = JSON.parse(fs.readFileSync(path.join(root, "cdktf.json"), "utf8")).app.split(" ");
const results = [
  { ...measure("app run directly (cdktf.json app)", app[0], app.slice(1)), goal: { wall: 1, peakMb: 250 } },
  { ...measure("npx cdktf synth", "npx", ["cdktf", "synth", "--output", "{outdir}"]), goal: { wall: 5, peakMb: 250 } },
];
// The OpenTofu check reads a synthesized folder: synthesize once, outside the measurement.
const synthesized = fs.mkdtempSync(path.join(os.tmpdir(), "bench-stacks-"));
spawnSync(app[0], app.slice(1), { cwd: root, env: { ...env, CDKTF_OUTDIR: synthesized }, stdio: "inherit" });
results.push({
  ...measure("offline OpenTofu check, 7 stacks", "npm", ["run", "-s", "tofu-check", "--", "--stacks", path.join(synthesized, "stacks"), "--require"]),
  goal: { wall: 10 },
});
fs.rmSync(synthesized, { recursive: true, force: true });
const test = measure("npm test", "npm", ["test", "--silent"]);
results.push({ ...test, goal: { wall: 35 } });

const verdict = (value, goal) => (goal === undefined || value === undefined ? "" : value <= goal ? "ok" : "OVER");
console.log(`\nmindmirror-infra bench: ${os.cpus().length} cores, node ${process.version}, median of ${runs} runs\n`);
console.log("what".padEnd(38) + "wall (s)".padStart(10) + "  goal".padEnd(12) + "peak RSS (MB)".padStart(15) + "  goal");
for (const r of results) {
  const peak = r.peakMb === undefined ? "n/a" : r.peakMb.toFixed(0);
  console.log(
    r.label.padEnd(38) +
      r.wall.toFixed(2).padStart(10) +
      `  <${r.goal.wall} ${verdict(r.wall, r.goal.wall)}`.padEnd(12) +
      peak.padStart(15) +
      (r.goal.peakMb ? `  <${r.goal.peakMb} ${verdict(r.peakMb, r.goal.peakMb)}` : ""),
  );
}
if (!gnuTime) console.log("\npeak RSS needs GNU time at /usr/bin/time (apt-get install time)");
