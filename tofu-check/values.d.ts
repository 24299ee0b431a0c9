/** Types of values.js, the plugin's value rules (plain JavaScript so that the plugin starts without a compiler). */
import type { ExtData } from "@msgpack/msgpack";

/** A block or nested attribute type in the `providers schema -json` shape. */
export interface SchemaBlock {
  readonly attributes?: Record<string, SchemaAttribute>;
  readonly block_types?: Record<string, { readonly nesting_mode: string; readonly block: SchemaBlock }>;
}
export interface SchemaAttribute {
  readonly type?: unknown;
  readonly nested_type?: SchemaBlock & { readonly nesting_mode: string };
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
}
/** A decoded cty value: objects, arrays, scalars, null, or an unknown (msgpack extension 0). */
export type Value = any;

export const UNKNOWN: ExtData;
export function isUnknown(value: Value): boolean;
export function plannedState(block: SchemaBlock, proposed: Value): Value;
export function importedState(block: SchemaBlock, id: string): Record<string, Value>;
export function dataSourceState(block: SchemaBlock, config: Value): Value;
export function emptyObject(block: SchemaBlock): Record<string, Value>;
export function placeholder(type: unknown): Value;
