/**
 * The `autogen` command: a thin yargs shell over the programmatic API (src/api.ts).
 * Exit codes: 0 success, 1 failure (including drift found by `check`), 2 usage error.
 * User mistakes print one line on stderr; `--verbose` adds the stack.
 *
 * `main` runs one command and may run again in the same process (the tests drive it
 * in-process); the executable that runs it once is main.ts.
 */
import yargs from "yargs";
import { UsageError, UserError, errorMessage } from "../errors.js";
import { redactUrlsIn } from "../dialects/redact.js";
import { coloursFor } from "./colour.js";
import { commands } from "./commands.js";
import { withSuggestion } from "./suggest.js";

/**
 * A failed system call (EACCES writing a revision, ENOSPC, ENOTDIR…): the machine's
 * state, not a bug in autogen. Node's message already names the call and the path.
 */
function isSystemError(err: unknown): err is Error {
  const e = err as { code?: unknown; syscall?: unknown } | null;
  return err instanceof Error && typeof e?.code === "string" && typeof e.syscall === "string";
}

/** Everything autogen writes about an error passes here: no URL leaves with its password. */
const writeErr = (text: string) => process.stderr.write(redactUrlsIn(text));

export function report(err: unknown, verbose: boolean): number {
  if (err instanceof UserError || isSystemError(err)) {
    const kind = err instanceof UsageError ? "usage error" : "error";
    writeErr(`${coloursFor(process.stderr).red(`autogen: ${kind}:`)} ${err.message.split("\n")[0]}\n`);
    // What the one line leaves out (the whole failing statement), for --verbose.
    const details = (err as { details?: unknown }).details;
    if (verbose && typeof details === "string") writeErr(`${details}\n`);
    if (verbose && err.stack) writeErr(`${err.stack}\n`);
    const cause = (err as { cause?: unknown }).cause;
    if (verbose && cause instanceof Error && cause.stack) writeErr(`Caused by: ${cause.stack}\n`);
    return err instanceof UserError ? err.exitCode : 1;
  }
  // Not a user mistake: a bug in autogen or an unexpected failure underneath it.
  writeErr(`${coloursFor(process.stderr).red("autogen: internal error:")} ${errorMessage(err).split("\n")[0]}\n`);
  if (verbose && err instanceof Error && err.stack) writeErr(`${err.stack}\n`);
  else process.stderr.write("(run again with --verbose for the stack trace)\n");
  return 1;
}

/** The options of the command being parsed (yargs has them, untyped, in getOptions()). */
function knownOptions(parser: unknown): string[] {
  const options = (parser as { getOptions?: () => { key?: Record<string, unknown> } }).getOptions?.();
  return Object.keys(options?.key ?? {});
}

export async function main(argv: string[]): Promise<number> {
  const verbose = argv.includes("--verbose") || argv.includes("-v");
  const parser = yargs(argv)
    .scriptName("autogen")
    .usage("$0 <command> [options]\n\nMigration autogenerate for TypeORM, with Alembic's commands and Laravel's.")
    .option("config", { alias: "c", type: "string", describe: "Path to autogen.config.json", global: true })
    .option("url", { type: "string", describe: "Database URL (overrides the config and AUTOGEN_DATABASE_URL)", global: true })
    .option("verbose", { alias: "v", type: "boolean", describe: "More output; stack traces on errors", global: true })
    .option("lock-timeout", {
      type: "string",
      describe: "How long to wait for another run's migration lock before giving up (30s, 2m; default: as long as it takes)",
      global: true,
    })
    .option("cache", {
      type: "boolean",
      default: true,
      describe: "Reuse compiled entities from node_modules/.cache/autogen (--no-cache compiles afresh and keeps nothing)",
      global: true,
    })
    .middleware((args) => {
      // Read by the loader (src/load/program.ts) when it runs; no need to load it here.
      if (args.cache === false) process.env.AUTOGEN_NO_CACHE = "1";
    })
    .command(commands)
    .demandCommand(1, "Give a command; run `autogen --help` for the list.")
    .recommendCommands()
    .strict()
    .help()
    .alias("help", "h")
    .version()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((msg, err) => {
      if (err) throw err;
      // Throwing stops yargs before the command's handler runs.
      throw new UsageError(withSuggestion(msg, argv, knownOptions(parser)));
    });
  // After starting a command's handler, yargs renders the whole help text only to keep
  // it for a later showHelp(), which renders it afresh when nothing was kept (we never
  // call it from a handler): 60-120 ms of cliui measuring lines on every command.
  const internals = parser as unknown as { getInternalMethods(): { getUsageInstance(): { cacheHelpMessage(): void } } };
  internals.getInternalMethods().getUsageInstance().cacheHelpMessage = () => {};
  // Commands report a failure they do not throw (drift found by `check`) through
  // process.exitCode. Read it for this command only: a value left by an earlier command
  // in the same process is not ours, and the caller's value is given back.
  const callersExitCode = process.exitCode;
  // --no-cache reaches the loader through the environment; it is this command's only.
  const callersNoCache = process.env.AUTOGEN_NO_CACHE;
  process.exitCode = undefined;
  try {
    await parser.parseAsync();
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (err) {
    return report(err, verbose);
  } finally {
    process.exitCode = callersExitCode;
    if (callersNoCache === undefined) delete process.env.AUTOGEN_NO_CACHE;
    else process.env.AUTOGEN_NO_CACHE = callersNoCache;
  }
}
