import { ExtData } from "@msgpack/msgpack";
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
});
