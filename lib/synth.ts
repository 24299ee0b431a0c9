/**
 * Synthesis that is all or nothing, and errors that are one line each.
 *
 * cdktf writes each stack as soon as that stack has passed its own
 * validations, so a policy error in the fifth stack used to leave four new
 * folders beside stale ones. Here the app synthesizes into a staging folder
 * inside the output folder; only when every stack has synthesized with no
 * error annotation are its files moved into place, one rename each. Files
 * synth does not write (`.terraform/`, saved plans, a bootstrap state) stay
 * where they are, as they do with plain cdktf.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { AnnotationMetadataEntryType, App, TerraformStack } from "./cdk";
import { isUserError } from "./errors";

/** The problems synth found, one line each: policy errors and failed validations. */
export class SynthErrors extends Error {
  override readonly name = "SynthErrors";
  constructor(readonly lines: readonly string[]) {
    super(lines.join("\n"));
  }
}

/** An annotation as the manifest holds it; `cdktf synth` prints one line for each. */
export interface StackAnnotation {
  readonly constructPath: string;
  readonly level: string;
  readonly message: string;
}

/** The stacks of a manifest and what cdktf recorded about them. */
interface Manifest {
  readonly stacks: Record<string, { readonly workingDirectory: string; annotations?: StackAnnotation[] }>;
}

export interface SynthOptions {
  /**
   * Rewrites the annotations of each stack, by stack name, before the manifest
   * is written: what it returns is what `cdktf synth` prints. Every annotation
   * as recorded is kept in `annotations.json` beside the manifest.
   * @default the annotations as recorded
   */
  readonly annotations?: (byStack: Readonly<Record<string, readonly StackAnnotation[]>>) => Record<string, readonly StackAnnotation[]>;
}

const MANIFEST = "manifest.json";
/** Every annotation of the last synth by stack, each construct path with its own line. */
export const ANNOTATIONS_FILE = "annotations.json";

/**
 * Builds an app with `define` and synthesizes it into `outdir`, or leaves
 * `outdir` exactly as it was and throws. Throws SynthErrors listing every
 * error annotation and failed validation, one line each.
 */
export function synthAllOrNothing(outdir: string, define: (app: App) => void, options: SynthOptions = {}): void {
  fs.mkdirSync(outdir, { recursive: true });
  const staging = fs.mkdtempSync(path.join(outdir, ".synth-"));
  try {
    const app = new App({ outdir: staging });
    define(app);
    const failures = collectStackFailures(app);
    try {
      app.synth();
    } catch (error) {
      throw asSynthErrors(error);
    }
    if (failures.length > 0) {
      const converted = failures.map(asSynthErrors);
      const other = converted.find((e) => !(e instanceof SynthErrors));
      if (other !== undefined) throw other;
      throw new SynthErrors(converted.flatMap((e) => (e as SynthErrors).lines));
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(staging, MANIFEST), "utf8")) as Manifest;
    // Under `cdktf synth` error annotations do not throw (the CLI prints them): refuse them here.
    const errors = Object.values(manifest.stacks).flatMap((stack) =>
      (stack.annotations ?? []).filter((a) => a.level === AnnotationMetadataEntryType.ERROR).map((a) => `${a.constructPath}: ${oneLine(a.message)}`),
    );
    if (errors.length > 0) throw new SynthErrors(errors);
    const recorded = Object.fromEntries(Object.entries(manifest.stacks).map(([name, stack]) => [name, stack.annotations ?? []]));
    fs.writeFileSync(path.join(staging, ANNOTATIONS_FILE), `${JSON.stringify(recorded, null, 2)}\n`);
    if (options.annotations !== undefined) {
      const printed = options.annotations(recorded);
      for (const [name, stack] of Object.entries(manifest.stacks)) stack.annotations = [...(printed[name] ?? [])];
      fs.writeFileSync(path.join(staging, MANIFEST), JSON.stringify(manifest, null, 2));
    }
    commit(staging, outdir, manifest);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * cdktf stops at the first stack that fails its validations; each stack's
 * failure is recorded instead, so one synth reports the problems of all.
 * Nothing of a failed synth leaves the staging folder.
 */
function collectStackFailures(app: App): unknown[] {
  const failures: unknown[] = [];
  for (const stack of app.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c))) {
    const inner = stack.synthesizer;
    stack.synthesizer = {
      synthesize: (session) => {
        try {
          inner.synthesize(session);
        } catch (error) {
          failures.push(error);
        }
      },
    };
  }
  return failures;
}

/** Moves every synthesized file into `outdir`, the annotations, then the manifest last. */
function commit(staging: string, outdir: string, manifest: Manifest): void {
  for (const stack of Object.values(manifest.stacks)) {
    const from = path.join(staging, stack.workingDirectory);
    const to = path.join(outdir, stack.workingDirectory);
    if (!fs.existsSync(to)) {
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.renameSync(from, to);
      continue;
    }
    moveFiles(from, to);
  }
  fs.renameSync(path.join(staging, ANNOTATIONS_FILE), path.join(outdir, ANNOTATIONS_FILE));
  fs.renameSync(path.join(staging, MANIFEST), path.join(outdir, MANIFEST));
}

function moveFiles(from: string, to: string): void {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory() && fs.existsSync(target)) moveFiles(source, target);
    else fs.renameSync(source, target);
  }
}

/** cdktf's "Validation failed with the following errors:" message, one line per error. */
function asSynthErrors(error: unknown): unknown {
  if (!(error instanceof Error) || !error.message.startsWith("Validation failed with the following errors:")) return error;
  const lines = error.message
    .split("\n")
    .slice(1)
    .map((line) => line.trim())
    .filter((line) => line.startsWith("["))
    // A validation that names its own construct path repeats the stack's: keep the longer one.
    .map((line) => line.replace(/^\[[^\]/]+\] (?=\[[^\]]*\/)/, "").replace(/^\[([^\]]+)\] /, "$1: "));
  return new SynthErrors(lines);
}

function oneLine(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, " ");
}

/**
 * The lines an error prints. A configuration error is its message, one line
 * per problem. Anything else is one line as well, pointing at `debugFlag`
 * for the stack trace; with `debug` the stack trace follows.
 */
export function errorLines(error: unknown, options: { readonly debug: boolean; readonly debugFlag: string }): string[] {
  const known = isUserError(error) || error instanceof SynthErrors;
  const message = error instanceof Error ? error.message : String(error);
  const lines = known ? message.split("\n").map((line) => line.trim()).filter(Boolean) : [`${oneLine(message)} (${options.debugFlag} prints the stack trace)`];
  if (options.debug && error instanceof Error && error.stack) lines.push(error.stack);
  return lines;
}
