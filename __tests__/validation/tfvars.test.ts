/**
 * tfvars lines a hand edit could leave: each either read as OpenTofu reads it
 * or rejected with file and line.
 */
import { parseTfvars, renderTfvars, setTfvar } from "../../lib/tfvars";
import { errorOf } from "./error-of";


describe("tfvars lines", () => {
  it.each([
    ['a = "x"', "a", "x"],
    ['  a="x"  ', "a", "x"],
    ['_a-1 = "x"', "_a-1", "x"],
    ['A = ""', "A", ""],
    ['a = "x" # note', "a", "x"],
    ['a = "x" // note', "a", "x"],
    ['a = "x"#note', "a", "x"],
    ['a = "say \\"hi\\""', "a", 'say "hi"'],
    ['a = "back\\\\slash"', "a", "back\\slash"],
    ['a = "$5 and 100%"', "a", "$5 and 100%"],
  ])("reads %j", (line, name, value) => {
    expect(parseTfvars(`${line}\n`, "f")).toEqual([{ name, value, line: 1 }]);
  });

  it.each(["", "   ", "# comment", "  // comment", "\t"])("skips %j", (line) => {
    expect(parseTfvars(`${line}\n`, "f")).toEqual([]);
  });

  it.each([
    ["junk before the name", 'x a = "x"'],
    ["a name starting with a digit", '1a = "x"'],
    ["junk after the value", 'a = "x" junk'],
    ["two strings", 'a = "a" "b"'],
    ["a number", "a = 42"],
    ["a bare word", "a = x"],
    ["no equals sign", 'a "x"'],
    ["an unterminated string", 'a = "x'],
    ["an interpolation", 'a = "${var.x}"'],
    ["a template directive", 'a = "%{if x}"'],
    ["a quote inside the string", 'a = "x"y"'],
    ["a list", 'a = ["x"]'],
    ["a comment marker alone", "/"],
    ["junk with blanks around it", '  a = "a" "b"  '],
  ])("fails on %s, with file and line", (_what, line) => {
    expect(errorOf(() => parseTfvars(`# first\n${line}\n`, "envs/x.tfvars"))).toBe(
      `envs/x.tfvars:2: ${JSON.stringify(line.trim())} is not valid; write name = "value" (a quoted string without \${ or %{), a # comment, or a blank line`,
    );
  });

  it("quotes the bad line without the blanks around it", () => {
    expect(errorOf(() => parseTfvars('\t a = 42 \n', "f"))).toMatch(/^f:1: "a = 42" is not valid; /);
  });

  it("reads CRLF line ends as OpenTofu does", () => {
    expect(parseTfvars('a = "1"\r\nb = "2"\r\n', "f").map((e) => [e.name, e.value, e.line])).toEqual([
      ["a", "1", 1],
      ["b", "2", 2],
    ]);
  });

  it("fails on a variable set twice, naming the second line", () => {
    expect(errorOf(() => parseTfvars('a = "1"\n\nb = "2"\na = "3"\n', "f"))).toBe("f:4: a is set twice; keep one assignment");
  });

  it("refuses to write a template sequence OpenTofu would interpolate", () => {
    expect(errorOf(() => renderTfvars([["a", "${x}"]]))).toBe('tfvars value "${x}" holds a template sequence; remove ${ or %{');
    expect(errorOf(() => setTfvar('a = "1"\n', "f", "a", "%{x}"))).toBe('tfvars value "%{x}" holds a template sequence; remove ${ or %{');
    expect(renderTfvars([["a", "$5"]])).toBe('a = "$5"\n');
  });

  it("renders without a header when none is given", () => {
    expect(renderTfvars([["a", "1"], ["b", "2"]])).toBe('a = "1"\nb = "2"\n');
    expect(renderTfvars([])).toBe("\n");
  });

  it("sets only the named variable's value, keeping an escaped quote's neighbours", () => {
    const text = 'a = "1"\nb = "x\\"y" # b\nc = "3"';
    expect(setTfvar(text, "f", "b", "new")).toBe('a = "1"\nb = "new" # b\nc = "3"');
    expect(errorOf(() => setTfvar(text, "f", "d", "x"))).toBe('f: d is not set; add a line d = "..." first');
  });
});
