/**
 * `npm run workflows`: writes .github/workflows/*.yml (and .github/dependabot.yml) from the model in
 * workflows/ and removes generated files the model no longer produces (files
 * without the generated header are left alone). `--check` writes nothing and
 * exits 1 when a file is missing, stale or extra.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { GITHUB } from "../environments/github";
import { DEPENDABOT_FILE, dependabotConfig, GENERATED_HEADER, generateWorkflows } from "../workflows";

const DIR = path.join(__dirname, "..", ".github", "workflows");
const DEPENDABOT = path.join(__dirname, "..", ".github", DEPENDABOT_FILE);

function main(argv: readonly string[]): number {
  const unknown = argv.filter((a) => a !== "--check");
  if (unknown.length > 0) {
    console.error(`generate-workflows: unknown argument ${JSON.stringify(unknown[0])}; use no argument (write) or --check`);
    return 2;
  }
  const check = argv.includes("--check");
  const wanted = generateWorkflows();
  const existing = fs.existsSync(DIR) ? fs.readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)) : [];
  const generatedHere = existing.filter((f) => fs.readFileSync(path.join(DIR, f), "utf8").startsWith(GENERATED_HEADER.split("\n")[0]));

  const problems: string[] = [];
  if (!check) fs.mkdirSync(DIR, { recursive: true });
  for (const [file, text] of wanted) {
    const target = path.join(DIR, file);
    const current = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : undefined;
    if (current === text) continue;
    problems.push(`${current === undefined ? "missing" : "stale"}: .github/workflows/${file}`);
    if (!check) fs.writeFileSync(target, text);
  }
  const dependabot = dependabotConfig(GITHUB);
  const currentDependabot = fs.existsSync(DEPENDABOT) ? fs.readFileSync(DEPENDABOT, "utf8") : undefined;
  if (currentDependabot !== dependabot) {
    problems.push(`${currentDependabot === undefined ? "missing" : "stale"}: .github/${DEPENDABOT_FILE}`);
    if (!check) fs.writeFileSync(DEPENDABOT, dependabot);
  }
  for (const file of generatedHere.filter((f) => !wanted.has(f))) {
    problems.push(`extra: .github/workflows/${file}`);
    if (!check) fs.rmSync(path.join(DIR, file));
  }

  if (check) {
    if (problems.length > 0) console.error(`${problems.join("\n")}\nrun: npm run workflows`);
    return problems.length > 0 ? 1 : 0;
  }
  console.log(problems.length > 0 ? `updated:\n${problems.join("\n")}` : "workflows up to date");
  return 0;
}

process.exitCode = main(process.argv.slice(2));
