// Core: the few exceptions tfy-lint throws to bail out, each with its exit code. Findings are never exceptions.

/** Bad command line: unknown flag, missing argument, unreadable path. Exit 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
  override name = 'UsageError';
}

/** A configuration file that cannot be used; the message carries file:line:column. Exit 2. */
export class ConfigError extends Error {
  readonly exitCode = 2;
  override name = 'ConfigError';
}

/** Anything else that stops the run on purpose (e.g. an unreachable platform). Exit 2. */
export class FatalError extends Error {
  readonly exitCode = 2;
  override name = 'FatalError';
}

export type ExpectedError = UsageError | ConfigError | FatalError;

export function isExpectedError(e: unknown): e is ExpectedError {
  return e instanceof UsageError || e instanceof ConfigError || e instanceof FatalError;
}
