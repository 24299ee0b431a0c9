import { parseTfvars, readTfvars, renderTfvars, setTfvar } from "../lib/tfvars";

const FILE = `# images
agent_service_image = "a:1"   # inline comment
// another comment

gateway_image="g@sha256:00"
`;

describe("tfvars", () => {
  it("reads assignments and skips comments and blank lines", () => {
    expect(parseTfvars(FILE, "f")).toEqual([
      { name: "agent_service_image", value: "a:1", line: 2 },
      { name: "gateway_image", value: "g@sha256:00", line: 5 },
    ]);
  });

  it("round-trips what it renders", () => {
    const text = renderTfvars([["a_image", 'x"y'], ["b_image", "z"]], "# header");
    expect(text).toBe('# header\na_image = "x\\"y"\nb_image = "z"\n');
    expect([...readTfvars(text, "f")]).toEqual([["a_image", 'x"y'], ["b_image", "z"]]);
  });

  it("changes one value and leaves every other byte alone", () => {
    const updated = setTfvar(FILE, "f", "agent_service_image", "a:2");
    expect(updated).toBe(FILE.replace('"a:1"', '"a:2"'));
  });

  it("fails on a line OpenTofu would not read as a string assignment, with file and line", () => {
    expect(() => parseTfvars('a = "x"\nb = 42\n', "environments/staging.auto.tfvars")).toThrow(
      /^environments\/staging\.auto\.tfvars:2: "b = 42" is not valid; write name = "value"/,
    );
  });

  it("fails on a template sequence, which OpenTofu would interpolate", () => {
    expect(() => parseTfvars('a = "${var.x}"\n', "f")).toThrow(/^f:1: .* is not valid; write name = "value" \(a quoted string without \$\{ or %\{\)/);
  });

  it("fails on a variable set twice", () => {
    expect(() => parseTfvars('a = "1"\na = "2"\n', "f")).toThrow(/^f:2: a is set twice; keep one assignment/);
  });

  it("fails to set a variable the file does not assign", () => {
    expect(() => setTfvar(FILE, "f", "meals_service_image", "m:1")).toThrow(/^f: meals_service_image is not set/);
  });
});
