/**
 * Errors a user can cause (bad config, unknown revision, unreachable database, …).
 * The CLI prints their message as one line and exits with `exitCode`; anything else
 * is a bug in autogen and is reported with its stack.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = "UserError";
  }
}

/** A usage mistake (unknown flag, missing argument): exit code 2. */
export class UsageError extends UserError {
  constructor(message: string) {
    super(message, 2);
    this.name = "UsageError";
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A multi-line message as one line (the CLI prints every error on one). */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
