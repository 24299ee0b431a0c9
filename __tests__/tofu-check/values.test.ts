import { encode, ExtData } from "@msgpack/msgpack";
// The plugin is plain JavaScript (it starts without a compiler); its value rules are tested here, typed by values.d.ts.
import * as values from "../../tofu-check/values";

/** A resource schema of the `providers schema -json` shape: attributes and one nested list block. */
const block = {
  attributes: {
    id: { type: "string", optional: true, computed: true },
    name: { type: "string", required: true },
    uri: { type: "string", computed: true },
    labels: { type: ["map", "string"], optional: true },
    nested: { nested_type: { nesting_mode: "single", attributes: { etag: { type: "string", computed: true } } }, optional: true },
  },
  block_types: {
    template: {
      nesting_mode: "list",
      block: { attributes: { revision: { type: "string", computed: true }, timeout: { type: "string", optional: true } } },
    },
  },
};

describe("offline provider values", () => {
  it("plans every computed attribute left null as unknown, in nested blocks too, and keeps what the config sets", () => {
    const proposed = { id: null, name: "svc", uri: null, labels: null, nested: { etag: null }, template: [{ revision: null, timeout: "10s" }] };
    const planned = values.plannedState(block, proposed);
    expect(planned).toEqual({
      id: values.UNKNOWN,
      name: "svc",
      uri: values.UNKNOWN,
      labels: null,
      nested: { etag: values.UNKNOWN },
      template: [{ revision: values.UNKNOWN, timeout: "10s" }],
    });
    expect(values.isUnknown(planned.uri)).toBe(true);
    expect(proposed.uri).toBeNull();
  });

  it("keeps a computed value the prior state already knows, and an unknown the core sent", () => {
    const unknown = new ExtData(0, new Uint8Array([0]));
    const planned = values.plannedState(block, { id: "x", name: "n", uri: "https://a", labels: unknown, nested: null, template: [] });
    expect(planned).toEqual({ id: "x", name: "n", uri: "https://a", labels: unknown, nested: null, template: [] });
  });

  it("imports with only the id known, and empty nested blocks", () => {
    expect(values.importedState(block, "projects/p/services/s")).toEqual({ id: "projects/p/services/s", name: null, uri: null, labels: null, nested: null, template: [] });
  });

  it("reads data sources as wholly known values, strings convertible to numbers", () => {
    const state = values.dataSourceState(block, { id: null, name: "octocat", uri: null, labels: null, nested: null, template: [{ revision: null, timeout: null }] });
    expect(state).toEqual({ id: "1", name: "octocat", uri: "1", labels: null, nested: null, template: [{ revision: "1", timeout: null }] });
    expect(values.placeholder(["object", { a: "number", b: ["list", "string"], c: "bool" }])).toEqual({ a: 1, b: [], c: false });
  });

  /** One computed `etag` inside a nested block or nested attribute of each nesting mode. */
  const etag = { attributes: { etag: { type: "string", computed: true } } };
  const nesting = {
    block_types: {
      one: { nesting_mode: "single", block: etag },
      grouped: { nesting_mode: "group", block: etag },
      listed: { nesting_mode: "list", block: etag },
      unique: { nesting_mode: "set", block: etag },
      keyed: { nesting_mode: "map", block: etag },
    },
    attributes: {
      made: { nested_type: { nesting_mode: "list", ...etag }, computed: true },
      given: { nested_type: { nesting_mode: "map", ...etag }, optional: true },
    },
  };

  it("plans computed values in nested blocks and nested attributes of every nesting mode", () => {
    const proposed = {
      one: { etag: null },
      grouped: { etag: "kept" },
      listed: [{ etag: null }, { etag: "kept" }],
      unique: [{ etag: null }],
      keyed: { a: { etag: null } },
      made: null,
      given: { b: { etag: null } },
    };
    const U = values.UNKNOWN;
    expect(values.plannedState(nesting, proposed)).toEqual({
      one: { etag: U },
      grouped: { etag: "kept" },
      listed: [{ etag: U }, { etag: "kept" }],
      unique: [{ etag: U }],
      keyed: { a: { etag: U } },
      made: U,
      given: { b: { etag: U } },
    });
  });

  it("leaves a nested value that is unknown, or a list that is not an array, as the core sent it", () => {
    const proposed = { one: values.UNKNOWN, grouped: null, listed: values.UNKNOWN, unique: "odd", keyed: null, made: [{ etag: null }], given: null };
    expect(values.plannedState(nesting, proposed)).toEqual({ ...proposed, made: [{ etag: values.UNKNOWN }] });
    expect(values.plannedState(nesting, "not an object")).toBe("not an object");
    expect(values.plannedState(nesting, null)).toBeNull();
  });

  it("fails on a nesting mode or a type it does not know, naming it", () => {
    const bad = { block_types: { odd: { nesting_mode: "tree", block: etag } } };
    expect(() => values.plannedState(bad, { odd: {} })).toThrow('unknown nesting mode "tree"');
    expect(() => values.placeholder(["graph", "string"])).toThrow('unknown cty type ["graph","string"]');
  });

  it("builds empty objects: null attributes and single blocks, empty lists, sets and maps", () => {
    expect(values.emptyObject(nesting)).toEqual({ made: null, given: null, one: null, grouped: null, listed: [], unique: [], keyed: {} });
    expect(values.importedState(etag, "x")).toEqual({ etag: null });
  });

  it("gives every cty type a known placeholder, and a nested attribute none", () => {
    expect([values.placeholder("dynamic"), values.placeholder(["set", "string"]), values.placeholder(["map", "number"])]).toEqual([null, [], {}]);
    expect(values.placeholder(["tuple", ["string", "bool"]])).toEqual(["1", false]);
    expect(values.dataSourceState(nesting, { one: null, grouped: null, listed: [], unique: [], keyed: {}, made: null, given: null })).toMatchObject({ made: null });
  });

  it("fills computed attributes missing from the value, and leaves missing blocks missing", () => {
    const U = values.UNKNOWN;
    expect(values.plannedState(block, { name: "n" })).toEqual({ name: "n", id: U, uri: U });
    expect(values.plannedState(nesting, {})).toEqual({ made: U });
  });

  it("knows an unknown by cty's encoding: msgpack extension type 0 (fixext1, one zero byte)", () => {
    expect(Array.from(encode(values.UNKNOWN))).toEqual([0xd4, 0x00, 0x00]);
    expect(values.isUnknown(new ExtData(1, new Uint8Array([0])))).toBe(false);
    expect(values.isUnknown({ type: 0 })).toBe(false);
  });
});

