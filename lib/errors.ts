/**
 * A configuration mistake found at synth time. The message always names the
 * field, shows the bad value and says what is allowed, so it can be fixed
 * without reading the code that raised it. It is one line.
 */
export class ConfigError extends Error {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly allowed: string,
    /** What is wrong with the value. @default "is not valid" */
    readonly problem = "is not valid",
  ) {
    super(`${field}: ${JSON.stringify(value)} ${problem}; ${allowed}`);
    this.name = "ConfigError";
  }
}

/** Several configuration mistakes, reported together: one line each. */
export class ConfigErrors extends Error {
  constructor(readonly errors: readonly ConfigError[]) {
    super(errors.map((e) => e.message).join("\n"));
    this.name = "ConfigErrors";
  }
}

/** Throws a {@link ConfigError} unless `ok` holds. */
export function check(ok: boolean, field: string, value: unknown, allowed: string): void {
  if (!ok) throw new ConfigError(field, value, allowed);
}

/**
 * Collects configuration mistakes instead of stopping at the first, so one
 * synth reports all of them (aws-cdk's validateAllProps).
 */
export class Problems {
  private readonly errors: ConfigError[] = [];

  /** Records a {@link ConfigError} unless `ok` holds; returns `ok`. */
  check(ok: boolean, field: string, value: unknown, allowed: string, problem?: string): boolean {
    if (!ok) this.errors.push(new ConfigError(field, value, allowed, problem));
    return ok;
  }

  /** Runs `fn`, recording the ConfigErrors it throws (other errors pass through). */
  collect(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      if (error instanceof ConfigErrors) this.errors.push(...error.errors);
      else if (error instanceof ConfigError) this.errors.push(error);
      else throw error;
    }
  }

  get count(): number {
    return this.errors.length;
  }

  /** Throws every recorded mistake at once: a ConfigError for one, ConfigErrors for more. */
  throwIfAny(): void {
    if (this.errors.length === 1) throw this.errors[0];
    if (this.errors.length > 1) throw new ConfigErrors(this.errors);
  }
}

/** A malformed input file: the message starts with `<file>:<line>:` and says what to write instead. */
export class FileError extends Error {
  override readonly name = "FileError";
}

/** Errors whose message is written for the person who made the mistake: shown without a stack trace. */
export function isUserError(error: unknown): boolean {
  return error instanceof ConfigError || error instanceof ConfigErrors || error instanceof FileError;
}
