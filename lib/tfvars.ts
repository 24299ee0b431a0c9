/**
 * The subset of tfvars files this project writes and reads: comments, blank
 * lines and `name = "string"` assignments. Anything else is an error with its
 * line number, so a hand edit that OpenTofu would reject fails synth first.
 */

import { FileError } from "./errors";
import { TEMPLATE_SEQUENCE } from "./patterns";

const ASSIGNMENT = /^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*=\s*"((?:[^"\\$%]|\\.|[$%](?!\{))*)"\s*(?:(?:#|\/\/).*)?$/;
const IGNORED = /^\s*(?:(?:#|\/\/).*)?$/;

export interface TfvarsEntry {
  readonly name: string;
  readonly value: string;
  /** 1-based line number. */
  readonly line: number;
}

/** Parses `text`; `file` names the source in error messages. */
export function parseTfvars(text: string, file: string): TfvarsEntry[] {
  const entries: TfvarsEntry[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (IGNORED.test(raw)) return;
    const match = ASSIGNMENT.exec(raw);
    if (!match) {
      throw new FileError(`${file}:${line}: ${JSON.stringify(raw.trim())} is not valid; write name = "value" (a quoted string without \${ or %{), a # comment, or a blank line`);
    }
    const [, name, quoted] = match;
    if (seen.has(name)) {
      throw new FileError(`${file}:${line}: ${name} is set twice; keep one assignment`);
    }
    seen.add(name);
    entries.push({ name, value: unescape(quoted), line });
  });
  return entries;
}

/** Parses `text` into a name -> value map. */
export function readTfvars(text: string, file: string): Map<string, string> {
  return new Map(parseTfvars(text, file).map((e) => [e.name, e.value]));
}

/** Renders assignments, one per line, in the given order. */
export function renderTfvars(values: ReadonlyArray<readonly [string, string]>, header?: string): string {
  const lines = values.map(([name, value]) => `${name} = ${quote(value)}`);
  return `${header ? `${header}\n` : ""}${lines.join("\n")}\n`;
}

/**
 * Returns `text` with `name` set to `value`, touching only that assignment's
 * value (comments and order stay). Throws when `name` is not assigned.
 */
export function setTfvar(text: string, file: string, name: string, value: string): string {
  const entry = parseTfvars(text, file).find((e) => e.name === name);
  if (!entry) throw new FileError(`${file}: ${name} is not set; add a line ${name} = "..." first`);
  const lines = text.split("\n");
  const index = entry.line - 1;
  lines[index] = lines[index].replace(/"(?:[^"\\]|\\.)*"/, () => quote(value));
  return lines.join("\n");
}

function quote(value: string): string {
  if (TEMPLATE_SEQUENCE.test(value)) throw new FileError(`tfvars value ${JSON.stringify(value)} holds a template sequence; remove \${ or %{`);
  return JSON.stringify(value);
}

function unescape(quoted: string): string {
  return JSON.parse(`"${quoted}"`) as string;
}
