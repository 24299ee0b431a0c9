/**
 * `npm run workflows`: writes .github/workflows/*.yml and .github/dependabot.yml
 * from the model in workflows/ and removes generated workflow files the model
 * no longer produces (files without the generated header are left alone).
 * Where this project is the `infra/` folder of the repository (the folder's
 * name is `GITHUB.infraDirectory` and its parent is a git work tree), it
 * writes the same files to the repository root's `.github/` too, where GitHub
 * reads them. `--check` writes nothing and exits 1 when a file is missing,
 * stale or extra. Generated files are written read-only, so an edit by hand
 * meets a refusal before it meets the staleness test.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { GITHUB } from "../environments/github";
import { errorLines } from "../lib/synth";
import { DEPENDABOT_FILE, dependabotConfig, GENERATED_HEADER, generateWorkflows } from "../workflows";

const PROJECT = path.join(__dirname, "..");

/** The `.github/` folders the generated files belong in: this project's, and the repository root's when this project is its infra folder. */
export function githubDirs(project: string): string[] {
  const root = path.dirname(project);
  const inRepository = path.basename(project) === GITHUB.infraDirectory && fs.existsSync(path.join(root, ".git"));
  return [path.join(project, ".github"), ...(inRepository ? [path.join(root, ".github")] : [])];
}

/** Mode of a generated file: readable by all, writable by nobody. */
export const GENERATED_MODE = 0o444;

/** Writes a generated file read-only, replacing a read-only one of an earlier run. */
export function writeGenerated(target: string, text: string): void {
  if (fs.existsSync(target)) fs.chmodSync(target, 0o644);
  fs.writeFileSync(target, text);
  fs.chmodSync(target, GENERATED_MODE);
}

function sync(githubDir: string, check: boolean, problems: string[]): void {
  const dir = path.join(githubDir, "workflows");
  const shown = (file: string) => path.relative(path.dirname(PROJECT), path.join(dir, file));
  const wanted = generateWorkflows();
  const existing = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)) : [];
  const generatedHere = existing.filter((f) => fs.readFileSync(path.join(dir, f), "utf8").startsWith(GENERATED_HEADER.split("\n")[0]));
  if (!check) fs.mkdirSync(dir, { recursive: true });
  for (const [file, text] of wanted) {
    const target = path.join(dir, file);
    const current = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : undefined;
    if (current === text) {
      if (!check) fs.chmodSync(target, GENERATED_MODE);
      continue;
    }
    problems.push(`${current === undefined ? "missing" : "stale"}: ${shown(file)}`);
    if (!check) writeGenerated(target, text);
  }
  const dependabot = path.join(githubDir, DEPENDABOT_FILE);
  const wantedDependabot = dependabotConfig(GITHUB);
  const currentDependabot = fs.existsSync(dependabot) ? fs.readFileSync(dependabot, "utf8") : undefined;
  if (currentDependabot === wantedDependabot && !check) fs.chmodSync(dependabot, GENERATED_MODE);
  if (currentDependabot !== wantedDependabot) {
    problems.push(`${currentDependabot === undefined ? "missing" : "stale"}: ${path.relative(path.dirname(PROJECT), dependabot)}`);
    if (!check) writeGenerated(dependabot, wantedDependabot);
  }
  for (const file of generatedHere.filter((f) => !wanted.has(f))) {
    problems.push(`extra: ${shown(file)}`);
    if (!check) fs.rmSync(path.join(dir, file));
  }
}

function main(argv: readonly string[]): number {
  const unknown = argv.filter((a) => a !== "--check");
  if (unknown.length > 0) {
    console.error(`generate-workflows: unknown argument ${JSON.stringify(unknown[0])}; use no argument (write) or --check`);
    return 2;
  }
  const check = argv.includes("--check");
  const problems: string[] = [];
  for (const dir of githubDirs(PROJECT)) sync(dir, check, problems);
  if (check) {
    if (problems.length > 0) console.error(`${problems.join("\n")}\nrun: npm run workflows`);
    return problems.length > 0 ? 1 : 0;
  }
  console.log(problems.length > 0 ? `updated:\n${problems.join("\n")}` : "workflows up to date");
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    // A bad environment, catalog or repository config: one line each, as synth prints them.
    for (const line of errorLines(error, { debug: process.env.MINDMIRROR_DEBUG === "1", debugFlag: "MINDMIRROR_DEBUG=1" })) console.error(line);
    process.exitCode = 1;
  }
}
