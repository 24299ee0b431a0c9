import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.join(__dirname, "..");
const SKIP = new Set(["node_modules", "cdktf.out", ".git", "coverage", ".stryker-tmp", "reports"]);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIP.has(entry.name)) return [];
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|mts|js|mjs|cjs)$/.test(entry.name) ? [full] : [];
  });
}

/** `from "x"`, `import("x")` and `require("x")` specifiers of a file. */
function specifiers(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)["']([^"']+)["']/g)].map((m) => m[1]);
}

describe("imports", () => {
  const files = sourceFiles(ROOT).map((file) => ({ file: path.relative(ROOT, file), specs: specifiers(file) }));

  it("finds the project's sources", () => {
    expect(files.map((f) => f.file)).toEqual(expect.arrayContaining(["main.ts", "lib/cdk.ts", path.join("stacks", "services-stack.ts")]));
  });

  it("never imports a provider package root (seconds and hundreds of MB per process)", () => {
    const offenders = files.flatMap(({ file, specs }) =>
      specs.filter((s) => /^@cdktf\/provider-[a-z-]+$/.test(s)).map((s) => `${file}: ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it("imports the cdktf core only through lib/cdk.ts, so moving to its fork is one file", () => {
    const offenders = files.flatMap(({ file, specs }) =>
      specs.filter((s) => s === "cdktf" && file !== path.join("lib", "cdk.ts")).map((s) => `${file}: ${s}`),
    );
    expect(offenders).toEqual([]);
  });
});
