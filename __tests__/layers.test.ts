import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

const ROOT = path.join(__dirname, "..");

/**
 * The layers, bottom first (README "Layout"). A module may import from its own
 * top-level folder and from any lower layer; within a layer, only the data
 * folders may import each other.
 */
const LAYERS: readonly (readonly string[])[] = [
  ["environments", "catalog", "lib"],
  ["constructs", "workflows", "ops"],
  ["stacks"],
  ["policy"],
  ["main.ts", "scripts"],
];
const DATA = LAYERS[0];
/** Stands apart: reads synthesized JSON and imports nothing of the project. */
const APART = ["tofu-check"];
const SKIP = new Set(["node_modules", "cdktf.out", ".git", "coverage", "__tests__"]);

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIP.has(entry.name) || entry.name.startsWith(".")) return [];
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(full);
    return /\.ts$/.test(entry.name) && !entry.name.endsWith(".d.ts") ? [full] : [];
  });
}

/** The top-level folder (or root file) a repository path belongs to. */
function unitOf(relative: string): string {
  return relative.split(path.sep)[0];
}

function layerOf(unit: string): number {
  return LAYERS.findIndex((layer) => layer.includes(unit));
}

/** Relative import specifiers of `file` as the TypeScript parser sees them: imports, re-exports, `import()` and `require()`. */
function relativeImports(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
  return importedFiles.map((f) => f.fileName).filter((s) => s.startsWith("."));
}

interface Edge {
  readonly from: string;
  readonly to: string;
}

function edges(): Edge[] {
  return tsFiles(ROOT).flatMap((file) =>
    relativeImports(file).map((spec) => ({ from: path.relative(ROOT, file), to: path.relative(ROOT, path.resolve(path.dirname(file), spec)) })),
  );
}

/** Why `edge` points up or sideways, or undefined when it points down. */
function violation({ from, to }: Edge): string | undefined {
  const [a, b] = [unitOf(from), unitOf(to)];
  if (a === b) return undefined;
  if (APART.includes(a) || APART.includes(b)) return a === "scripts" ? undefined : `${from} -> ${to}: ${APART.join(", ")} stands apart`;
  const [la, lb] = [layerOf(a), layerOf(b)];
  if (la < 0) return `${from}: ${a}/ has no layer; place it in LAYERS and README "Layout"`;
  if (lb < 0) return `${from} -> ${to}: ${b} has no layer`;
  if (lb < la) return undefined;
  if (la === lb && DATA.includes(a)) return undefined;
  return `${from} -> ${to}: ${a} (layer ${la + 1}) imports from ${b} (layer ${lb + 1})`;
}

describe("layers", () => {
  const graph = edges();

  it("reads the import statements of the project's sources", () => {
    expect(graph).toEqual(expect.arrayContaining([{ from: "main.ts", to: "policy" }, { from: path.join("workflows", "index.ts"), to: path.join("environments", "github-validate") }]));
    expect([...new Set(graph.map((e) => unitOf(e.from)))].sort()).toEqual(expect.arrayContaining(LAYERS.flat().sort()));
  });

  it("has every import point down a layer (README \"Layout\")", () => {
    expect(graph.map(violation).filter((v) => v !== undefined)).toEqual([]);
  });

  it("keeps workflows/ and ops/ off the constructs", () => {
    expect(graph.filter((e) => ["workflows", "ops"].includes(unitOf(e.from)) && unitOf(e.to) === "constructs")).toEqual([]);
  });

  it("flags an import that points up or sideways", () => {
    expect(violation({ from: path.join("workflows", "x.ts"), to: path.join("constructs", "github", "settings") })).toMatch(/workflows \(layer 2\) imports from constructs \(layer 2\)/);
    expect(violation({ from: path.join("lib", "x.ts"), to: path.join("stacks", "index") })).toMatch(/lib \(layer 1\) imports from stacks \(layer 3\)/);
    expect(violation({ from: path.join("constructs", "x.ts"), to: path.join("policy", "inspect") })).toMatch(/imports from policy/);
    expect(violation({ from: path.join("lib", "x.ts"), to: path.join("environments", "types") })).toBeUndefined();
    expect(violation({ from: path.join("newdir", "x.ts"), to: path.join("lib", "naming") })).toMatch(/newdir\/ has no layer/);
  });
});
