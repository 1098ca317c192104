/**
 * Errors a user can cause (bad config, unknown revision, unreachable database, …).
 * The CLI prints their message as one line and exits with `exitCode`; anything else
 * is a bug in autogen and is reported with its stack.
 */

/**
 * The exit codes `check`, `test` and `lint` promise (README "Exit codes"): CI scripts
 * branch on them, so they never change meaning.
 */
export const ExitCode = {
  /** Nothing to report. */
  clean: 0,
  /** The models drift from the database (or a lint/test check failed). */
  drift: 1,
  /** Usage or configuration error (flags, config file, models, revision files). */
  usage: 2,
  /** Database behind head, heads not merged, or an applied revision whose file changed. */
  state: 3,
  /** The database cannot be reached. */
  connect: 4,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** What kind of mistake an error is, for the CI exit codes above. */
export type ErrorCategory = "usage" | "config" | "state" | "connect";

export class UserError extends Error {
  /** Set where the error's kind is known (see `categorize`); the CI commands map it to an exit code. */
  category?: ErrorCategory;

  constructor(
    message: string,
    readonly exitCode: ExitCodeValue = 1,
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
    this.category = "usage";
  }
}

/** Marks a user error with its kind unless something closer to the cause already did; returns it. */
export function categorize<E>(err: E, category: ErrorCategory): E {
  if (err instanceof UserError && err.category === undefined) err.category = category;
  return err;
}

/** A user error of a known kind, in one call. */
export function categorized(message: string, category: ErrorCategory): UserError {
  return categorize(new UserError(message), category);
}

/**
 * The exit code a CI command (`check`, `test`, `lint`, `status`) gives for an error:
 * 1 is kept for drift, so every error that is not about the database's state or
 * reachability is a usage/config error (2).
 */
export function ciExitCode(err: unknown): ExitCodeValue {
  // Anything that stopped the check before it could judge (bad config, a revision file
  // that does not load, an unexpected failure) is 2: a CI script must never read it as drift.
  if (!(err instanceof UserError)) return ExitCode.usage;
  switch (err.category) {
    case "state":
      return ExitCode.state;
    case "connect":
      return ExitCode.connect;
    default:
      return ExitCode.usage;
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A multi-line message as one line (the CLI prints every error on one). */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
