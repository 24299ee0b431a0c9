"use strict";
/**
 * Values of the offline provider, computed from a resource's schema alone.
 *
 * The core sends and receives cty values as msgpack. Decoded, an object is a
 * plain JS object with every attribute present (null when unset), a list or
 * set of nested blocks is an array, and an unknown value is msgpack extension
 * type 0. These functions never look at a value's meaning, only at the schema
 * in the `tofu providers schema -json` format, so they serve every resource
 * type alike. Plain JavaScript, so that the plugin starts without a compiler.
 */
const { ExtData } = require("@msgpack/msgpack");

/** cty's encoding of an unknown value: fixext1, type 0, one zero byte. */
const UNKNOWN = new ExtData(0, new Uint8Array([0]));

const isUnknown = (value) => value instanceof ExtData && value.type === 0;

/**
 * Children of a block or of a nested attribute type, normalised:
 * `[name, attribute-or-block, isBlock]`.
 */
function members(block) {
  const out = [];
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) out.push([name, attribute, false]);
  for (const [name, nested] of Object.entries(block.block_types ?? {})) out.push([name, nested, true]);
  return out;
}

/** Applies `fn` to each element of a nested value, by nesting mode. */
function eachNested(mode, value, fn) {
  if (value === null || value === undefined || isUnknown(value)) return value;
  switch (mode) {
    case "single":
    case "group":
      return fn(value);
    case "list":
    case "set":
      return Array.isArray(value) ? value.map(fn) : value;
    case "map": {
      const out = {};
      for (const [key, element] of Object.entries(value)) out[key] = fn(element);
      return out;
    }
    default:
      throw new Error(`unknown nesting mode ${JSON.stringify(mode)}`);
  }
}

/**
 * Fills every computed attribute that is null in `value` with `fill(attribute)`,
 * recursing into nested blocks and nested attribute types.
 */
function fillComputed(block, value, fill) {
  if (value === null || isUnknown(value) || typeof value !== "object") return value;
  const out = { ...value };
  for (const [name, member, isBlock] of members(block)) {
    const current = out[name];
    if (isBlock) {
      out[name] = eachNested(member.nesting_mode, current, (element) => fillComputed(member.block, element, fill));
    } else if (member.nested_type) {
      const nested = member.nested_type;
      out[name] =
        (current === null || current === undefined) && member.computed
          ? fill(member)
          : eachNested(nested.nesting_mode, current, (element) => fillComputed(nested, element, fill));
    } else if ((current === null || current === undefined) && member.computed) {
      out[name] = fill(member);
    }
  }
  return out;
}

/**
 * The planned new state: the proposed new state with every computed
 * attribute the configuration leaves null marked unknown, as a provider that
 * learns those values at apply would plan them.
 */
function plannedState(block, proposed) {
  return fillComputed(block, proposed, () => UNKNOWN);
}

/** An object of the block's type with nothing set: null attributes, empty nested blocks. */
function emptyObject(block) {
  const out = {};
  // Only blocks have a nesting_mode of their own; attributes and single blocks start null.
  for (const [name, member] of members(block)) {
    if (member.nesting_mode === "list" || member.nesting_mode === "set") out[name] = [];
    else if (member.nesting_mode === "map") out[name] = {};
    else out[name] = null;
  }
  return out;
}

/** The state an import hands the core: only `id` known, as after a real import before its read. */
function importedState(block, id) {
  const state = emptyObject(block);
  if ("id" in state) state.id = id;
  return state;
}

/**
 * A known placeholder of a cty type. Data sources must return wholly known
 * values; strings are "1" so that an id read into a number argument converts.
 */
function placeholder(type) {
  if (type === "string") return "1";
  if (type === "number") return 1;
  if (type === "bool") return false;
  if (type === "dynamic") return null;
  const [kind, element] = type;
  if (kind === "list" || kind === "set") return [];
  if (kind === "map") return {};
  if (kind === "object") {
    const out = {};
    for (const [name, attributeType] of Object.entries(element)) out[name] = placeholder(attributeType);
    return out;
  }
  if (kind === "tuple") return element.map(placeholder);
  throw new Error(`unknown cty type ${JSON.stringify(type)}`);
}

/** What a data source reads: its configuration with every computed null made a known placeholder. */
function dataSourceState(block, config) {
  return fillComputed(block, config, (attribute) => (attribute.type === undefined ? null : placeholder(attribute.type)));
}

module.exports = { UNKNOWN, isUnknown, plannedState, importedState, dataSourceState, emptyObject, placeholder };
