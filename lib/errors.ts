/**
 * A configuration mistake found at synth time. The message always names the
 * field, shows the bad value and says what is allowed, so it can be fixed
 * without reading the code that raised it.
 */
export class ConfigError extends Error {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly allowed: string,
  ) {
    super(`${field}: ${JSON.stringify(value)} is not valid; ${allowed}`);
    this.name = "ConfigError";
  }
}

/** Throws a {@link ConfigError} unless `ok` holds. */
export function check(ok: boolean, field: string, value: unknown, allowed: string): void {
  if (!ok) throw new ConfigError(field, value, allowed);
}
