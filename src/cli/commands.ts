/**
 * The yargs command modules. Each parses its flags, calls the API and prints; nothing
 * here touches a database or a file directly.
 */
import type { Argv, CommandModule } from "yargs";
import type * as Api from "../api/index.js";
import type { CommonOptions } from "../api/workspace.js";
import type { RenameHints } from "../diff/types.js";
import { UsageError } from "../errors.js";
import { promptResolver } from "../renames/resolver.js";
import { REPORT_FORMATS, type ReportFormat } from "../report/report.js";
import { fleetWanted, runFleetCommand, withFleetOptions, type FleetArgs } from "./fleet.js";
import { formatHistoryLine, formatRevisionDetails } from "./format.js";
import { progressWanted, statusLine, writeLine } from "./progress.js";
import { askOnTty, askRenameOnTty } from "./prompts.js";

interface GlobalArgs {
  config?: string;
  url?: string;
  verbose?: boolean;
  lockTimeout?: string;
}

/** One line to stdout, below the status line when there is one. */
const out = writeLine;

/** The API (and with it TypeORM, ts-morph, prettier) loads only when a command runs, so `--help` is instant. */
const loadApi = (): Promise<typeof Api> => import("../api/index.js");

function common(args: GlobalArgs): CommonOptions {
  return {
    ...(args.config !== undefined ? { config: args.config } : {}),
    ...(args.url !== undefined ? { url: args.url } : {}),
    ...(args.lockTimeout !== undefined ? { lockTimeout: String(args.lockTimeout) } : {}),
    ...(args.verbose ? { notice: (line: string) => process.stderr.write(`autogen: ${line}\n`) } : {}),
    // A status line for long work, on a terminal only (not in pipes, CI logs or JSON output).
    ...(progressWanted(process.stderr, process.env, args as { format?: string }) ? { progress: statusLine() } : {}),
    log: out,
  };
}

/** `--rename posts.body=content` (column) or `--rename old_table=new_table` (table). */
export function parseRenames(values: readonly string[] = []): RenameHints {
  const hints: Required<RenameHints> = { tables: {}, columns: {} };
  for (const value of values) {
    const m = /^([A-Za-z_][\w$]*)(?:\.([A-Za-z_][\w$]*))?=([A-Za-z_][\w$]*)$/.exec(value);
    if (!m) throw new UsageError(`--rename ${value}: expected table.old_column=new_column or old_table=new_table`);
    const [, table, column, to] = m as unknown as [string, string, string | undefined, string];
    if (column) hints.columns[`${table}.${column}`] = to;
    else hints.tables[table] = to;
  }
  return hints;
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)]);

const init: CommandModule<GlobalArgs, GlobalArgs & { dir?: string; entities?: string[]; ci?: string }> = {
  command: "init [dir]",
  describe:
    "Create autogen.config.json from what the project shows (drivers, DATABASE_URL, DataSource, entity files), the versions directory and a revision template",
  builder: (y) =>
    y
      .positional("dir", { type: "string", describe: "Project directory", default: "." })
      .option("entities", { type: "string", array: true, describe: "Entity globs to write into the config" })
      .option("ci", {
        type: "string",
        choices: ["github", "gitlab"],
        describe:
          "Also write a CI job for the configured database (github: .github/workflows/autogen.yml, gitlab: .gitlab-ci.yml); in a set-up project, only that",
      }) as Argv<GlobalArgs & { dir?: string; entities?: string[]; ci?: string }>,
  handler: async (args) => {
    if (args.config !== undefined) {
      throw new UsageError("init writes <dir>/autogen.config.json; give the directory instead of --config");
    }
    if (args.url === "") throw new UsageError("--url needs a database URL");
    const api = await loadApi();
    api.init({
      ...(args.dir !== undefined ? { dir: args.dir } : {}),
      ...(args.entities ? { entities: args.entities } : {}),
      ...(args.url !== undefined ? { url: args.url } : {}),
      ...(args.ci !== undefined ? { ci: args.ci } : {}),
      log: out,
    });
  },
};

interface RevisionArgs extends GlobalArgs {
  message?: string;
  autogenerate?: boolean;
  head?: string;
  splice?: boolean;
  "branch-label"?: string[];
  "depends-on"?: string[];
  "rev-id"?: string;
  "version-path"?: string;
  rename?: string[];
  drop?: string[];
  answers?: string;
  prompt?: boolean;
  tenant?: string;
  online?: boolean;
}

const revision: CommandModule<GlobalArgs, RevisionArgs> = {
  command: "revision",
  describe: "Create a new revision file (--autogenerate: from the difference between models and database)",
  builder: (y) =>
    y
      .option("message", { alias: "m", type: "string", demandOption: true, describe: "What the revision does" })
      .option("autogenerate", { type: "boolean", default: false, describe: "Compare the models with the database" })
      .option("online", {
        type: "boolean",
        describe:
          'With --autogenerate: the lock-safe form of each change where the database has one (README: Online revisions; default: the config\'s "online")',
      })
      .option("head", { type: "string", describe: "Revision to build on (default: head; `base` for a new root)" })
      .option("splice", { type: "boolean", default: false, describe: "Allow --head to be a non-head revision" })
      .option("branch-label", { type: "string", array: true, describe: "Branch label(s) for the new revision" })
      .option("depends-on", { type: "string", array: true, describe: "Revision(s) this one depends on" })
      .option("rev-id", { type: "string", describe: "Use this id instead of a random one" })
      .option("version-path", { type: "string", describe: "Write to this version location" })
      .option("rename", {
        type: "string",
        array: true,
        describe: "Confirm a rename: table.old=new (column) or old=new (table)",
      })
      .option("drop", {
        type: "string",
        array: true,
        describe: "Answer a suspected rename with 'really a drop': table.column or table (drop + add, the data is lost)",
      })
      .option("answers", {
        type: "string",
        describe: 'JSON file answering suspected renames: { "renames": { "table.old": "new" }, "drops": ["table.column"] }',
      })
      .option("prompt", {
        type: "boolean",
        default: true,
        describe: "On a terminal, ask about each suspected rename (--no-prompt: never ask)",
      })
      .option("tenant", {
        type: "string",
        describe: '--autogenerate: compare against this tenant (README "Many tenants")',
      }) as Argv<RevisionArgs>,
  handler: async (args) => {
    const api = await loadApi();
    if (args.tenant !== undefined && !args.autogenerate) throw new UsageError("--tenant goes with --autogenerate");
    const { tenantWorkspace } = await import("../fleet/index.js");
    const result = await api.revision({
      ...common(args),
      ...(args.tenant !== undefined ? { workspace: await tenantWorkspace(common(args), args.tenant) } : {}),
      message: args.message ?? "",
      autogenerate: args.autogenerate ?? false,
      ...(args.online !== undefined ? { online: args.online } : {}),
      ...(args.head !== undefined ? { head: args.head } : {}),
      splice: args.splice ?? false,
      branchLabel: list(args["branch-label"]),
      dependsOn: list(args["depends-on"]),
      ...(args["rev-id"] !== undefined ? { revId: args["rev-id"] } : {}),
      ...(args["version-path"] !== undefined ? { versionPath: args["version-path"] } : {}),
      renames: parseRenames(list(args.rename)),
      drops: list(args.drop),
      ...(args.answers !== undefined ? { answersFile: args.answers } : {}),
      ...(args.prompt !== false && process.stdin.isTTY ? { resolveRenames: promptResolver(askRenameOnTty) } : {}),
    });
    const notes = result.written ? result.findings.length + result.downgradeFindings.length : 0;
    if (notes) out(`Review the ${notes} note(s) marked "autogen:" in the file before upgrading.`);
  },
};

const baseline: CommandModule<GlobalArgs, GlobalArgs & { message?: string; "rev-id"?: string }> = {
  command: "baseline",
  describe: "Adopt an existing database: one revision creating what it holds now, stamped as applied (README: Adopting autogen)",
  builder: (y) =>
    y
      .option("message", { alias: "m", type: "string", default: "baseline", describe: "The revision's message" })
      .option("rev-id", { type: "string", describe: "Use this id instead of a random one" }) as Argv<
      GlobalArgs & { message?: string; "rev-id"?: string }
    >,
  handler: async (args) => {
    const api = await loadApi();
    const rev = args["rev-id"];
    await api.baseline({
      ...common(args),
      ...(args.message !== undefined ? { message: args.message } : {}),
      ...(rev !== undefined ? { revId: rev } : {}),
    });
  },
};

interface MigrateArgs extends GlobalArgs, FleetArgs {
  target?: string;
  sql?: boolean;
  force?: boolean;
}

/** Offline: a script that had to stop at a revision needing a live database is printed up to there, then the error. */
async function migrateOrPartial(run: () => Promise<Api.MigrateResult>): Promise<Api.MigrateResult> {
  try {
    return await run();
  } catch (err) {
    const { OfflineStopError } = await import("../api/migrate.js");
    if (err instanceof OfflineStopError) process.stdout.write(err.sql);
    throw err;
  }
}

function printMigrate(result: Api.MigrateResult, sql: boolean | undefined): void {
  if (sql && result.sql !== undefined) {
    process.stdout.write(result.sql);
    return;
  }
  if (result.steps.length === 0) out("Nothing to do: already at the target.");
}

const upgrade: CommandModule<GlobalArgs, MigrateArgs> = {
  command: "upgrade [target]",
  describe: "Apply revisions up to target (head, +N, an id, label@head; --sql: from:to ranges)",
  builder: (y) =>
    withFleetOptions(y, { format: true, canary: true })
      .positional("target", {
        type: "string",
        default: "head",
        describe: "Revision to upgrade to (head, +N, an id, label@head; from:to with --sql)",
      })
      .option("sql", { type: "boolean", default: false, describe: "Print the SQL instead of running it (offline)" }) as Argv<MigrateArgs>,
  handler: async (args) => {
    const api = await loadApi();
    if (fleetWanted(args)) return runFleetCommand("upgrade", args, common(args), { target: args.target ?? "head" });
    const opts = { ...common(args), target: args.target ?? "head", sql: args.sql ?? false };
    if (opts.sql) opts.log = () => {};
    printMigrate(await migrateOrPartial(() => api.upgrade(opts)), args.sql);
  },
};

const downgrade: CommandModule<GlobalArgs, MigrateArgs> = {
  command: "downgrade <target>",
  describe: "Revert revisions down to target (-N, base, an id; --sql: from:to ranges)",
  builder: (y) =>
    withFleetOptions(y, { format: true })
      .positional("target", {
        type: "string",
        demandOption: true,
        describe: "Revision to downgrade to (-N, base, an id; from:to with --sql)",
      })
      .option("sql", { type: "boolean", default: false, describe: "Print the SQL instead of running it (offline)" })
      .option("force", { ...forceOption, describe: "downgrade base: do not ask, even when tables hold rows" }) as Argv<MigrateArgs>,
  handler: async (args) => {
    const api = await loadApi();
    if (fleetWanted(args))
      return runFleetCommand("downgrade", args, common(args), { target: args.target ?? "", force: args.force ?? false });
    const opts = { ...common(args), target: args.target ?? "", sql: args.sql ?? false, ...confirmation(args) };
    if (opts.sql) opts.log = () => {};
    printMigrate(await migrateOrPartial(() => api.downgrade(opts)), args.sql);
  },
};

const current: CommandModule<GlobalArgs, GlobalArgs & FleetArgs> = {
  command: "current",
  describe: "Show the revision(s) the database is at",
  builder: (y) => withFleetOptions(y, { format: true }),
  handler: async (args) => {
    if (fleetWanted(args)) return runFleetCommand("current", args, common(args));
    const api = await loadApi();
    const revs = await api.current(common(args));
    if (revs.length === 0) out("<base> (no revision applied)");
    for (const r of revs) out(args.verbose ? formatRevisionDetails(r) : formatHistoryLine(r));
  },
};

const heads: CommandModule<GlobalArgs, GlobalArgs> = {
  command: "heads",
  describe: "Show the head revision(s) of the revision graph",
  handler: async (args) => {
    const api = await loadApi();
    const revs = await api.heads(common(args));
    if (revs.length === 0) out("No revisions yet.");
    for (const r of revs) out(args.verbose ? formatRevisionDetails(r) : formatHistoryLine(r));
  },
};

interface HistoryArgs extends GlobalArgs {
  rev?: string;
  "indicate-current"?: boolean;
}

const history: CommandModule<GlobalArgs, HistoryArgs> = {
  command: "history",
  describe: "List revisions, newest first",
  builder: (y) =>
    y.option("rev", { alias: "r", type: "string", describe: "Range lower:upper (ids, base, head, current)" }).option("indicate-current", {
      alias: "i",
      type: "boolean",
      default: false,
      describe: "Mark the applied revision(s)",
    }) as Argv<HistoryArgs>,
  handler: async (args) => {
    const api = await loadApi();
    const revs = await api.history({
      ...common(args),
      ...(args.rev !== undefined ? { range: args.rev } : {}),
      indicateCurrent: args["indicate-current"] ?? false,
    });
    if (revs.length === 0) out("No revisions yet.");
    for (const r of revs) out(args.verbose ? `${formatRevisionDetails(r)}\n` : formatHistoryLine(r));
  },
};

const branches: CommandModule<GlobalArgs, GlobalArgs> = {
  command: "branches",
  describe: "Show branch points and the branches that start there",
  handler: async (args) => {
    const api = await loadApi();
    const points = await api.branches(common(args));
    if (points.length === 0) out("No branch points.");
    for (const p of points) {
      out(formatHistoryLine(p.branchPoint));
      for (const b of p.branches) out(`    -> ${formatHistoryLine(b.child)}${b.heads.length ? `  (heads: ${b.heads.join(", ")})` : ""}`);
    }
  },
};

const show: CommandModule<GlobalArgs, GlobalArgs & { rev: string }> = {
  command: "show <rev>",
  describe: "Show one revision in detail",
  builder: (y) => y.positional("rev", { type: "string", demandOption: true }) as Argv<GlobalArgs & { rev: string }>,
  handler: async (args) => {
    const api = await loadApi();
    for (const r of await api.show({ ...common(args), revision: args.rev })) out(formatRevisionDetails(r));
  },
};

type StampArgs = GlobalArgs & FleetArgs & { revisions: string[]; purge?: boolean; sql?: boolean; rehash?: boolean };

const stamp: CommandModule<GlobalArgs, StampArgs> = {
  command: "stamp <revisions..>",
  describe: "Set the version table to revision(s) without running migrations",
  builder: (y) =>
    withFleetOptions(y, { format: true })
      .positional("revisions", { type: "string", array: true, describe: "Revision(s) to record: ids, head, heads, base" })
      .option("purge", { type: "boolean", default: false, describe: "Delete every version row first (even unknown ones)" })
      .option("sql", { type: "boolean", default: false, describe: "Print the SQL instead of running it" })
      .option("rehash", {
        type: "boolean",
        default: false,
        describe: "Accept an intended edit of applied revision(s): record their new checksum in the migration log",
      }) as Argv<StampArgs>,
  handler: async (args) => {
    if (fleetWanted(args))
      return runFleetCommand("stamp", args, common(args), { revisions: list(args.revisions), purge: args.purge ?? false });
    const api = await loadApi();
    if (args.rehash) {
      if (args.purge || args.sql) throw new UsageError("--rehash changes only the migration log: it does not go with --purge or --sql");
      for (const revision of list(args.revisions)) await api.rehash({ ...common(args), revision });
      return;
    }
    const opts = { ...common(args), revisions: list(args.revisions), purge: args.purge ?? false, sql: args.sql ?? false };
    if (opts.sql) opts.log = () => {};
    const result = await api.stamp(opts);
    if (result.sql !== undefined) process.stdout.write(result.sql);
  },
};

const rollback: CommandModule<GlobalArgs, GlobalArgs & { step?: number }> = {
  command: "rollback",
  describe:
    "Laravel's migrate:rollback: revert the revisions of the last upgrade run (--step N: the last N revisions), from the migration log",
  builder: (y) =>
    y.option("step", { type: "number", describe: "Revert the last N applied revisions instead of the last run" }) as Argv<
      GlobalArgs & { step?: number }
    >,
  handler: async (args) => {
    const api = await loadApi();
    printMigrate(await api.rollback({ ...common(args), ...(args.step !== undefined ? { step: args.step } : {}) }), false);
  },
};

const merge: CommandModule<
  GlobalArgs,
  GlobalArgs & { revisions?: string[]; message?: string; "rev-id"?: string; "branch-label"?: string[] }
> = {
  command: "merge [revisions..]",
  describe: "Create a merge revision joining heads (default: all heads)",
  builder: (y) =>
    y
      .positional("revisions", { type: "string", array: true, describe: "Revisions to merge, or `heads` (default)" })
      .option("message", { alias: "m", type: "string", demandOption: true, describe: "What the merge is for" })
      .option("rev-id", { type: "string", describe: "Use this id instead of a random one" })
      .option("branch-label", { type: "string", array: true, describe: "Branch label(s) for the merge revision" }) as Argv<
      GlobalArgs & { revisions?: string[]; message?: string; "rev-id"?: string; "branch-label"?: string[] }
    >,
  handler: async (args) => {
    const api = await loadApi();
    await api.merge({
      ...common(args),
      revisions: list(args.revisions),
      message: args.message ?? "",
      ...(args["rev-id"] !== undefined ? { revId: args["rev-id"] } : {}),
      branchLabel: list(args["branch-label"]),
    });
  },
};

interface FormatArgs extends GlobalArgs {
  format?: ReportFormat;
}

const formatOption = {
  type: "string",
  choices: REPORT_FORMATS,
  default: "text",
  describe: "Output: text, json (one object, schemas/report.schema.json), github (annotations), markdown (PR comment)",
} as const;

/**
 * Prints a CI command's report and sets its exit code (README "Exit codes"). An error
 * keeps its one line on stderr and, in the machine formats, is also the report on stdout.
 */
async function emitReport(format: ReportFormat, report: Api.Report, error?: unknown): Promise<void> {
  const { renderReport } = await import("../report/render.js");
  if (error !== undefined) {
    const { UserError, errorMessage } = await import("../errors.js");
    if (format !== "text") out(renderReport(report, format));
    const mapped = new UserError(errorMessage(error), report.exitCode);
    (mapped as { cause?: unknown }).cause = error;
    if (error instanceof Error && error.stack) mapped.stack = error.stack;
    throw mapped;
  }
  out(renderReport(report, format));
  if (report.exitCode !== 0) process.exitCode = report.exitCode;
}

const check: CommandModule<GlobalArgs, FormatArgs & FleetArgs & { offline?: boolean }> = {
  command: "check",
  describe: "For CI: exit 0 clean, 1 drift, 2 usage/config error, 3 behind head/unmerged heads/changed revision, 4 cannot connect",
  builder: (y) =>
    withFleetOptions(y).option("format", formatOption).option("offline", {
      type: "boolean",
      default: false,
      describe: "No database: compare the models with the revision files replayed (like Django's makemigrations --check)",
    }) as Argv<FormatArgs & FleetArgs & { offline?: boolean }>,
  handler: async (args) => {
    if (fleetWanted(args)) return runFleetCommand("check", args, common(args));
    // check's own modules only: the whole API (and codegen's index) would load ts-morph,
    // TypeScript and prettier, a large share of a warm check that never writes a file.
    const api = await import("../api/check.js");
    const format = args.format ?? "text";
    const { renderOpCall } = await import("../codegen/opCalls.js");
    const { checkReport } = await import("../report/report.js");
    const offline = args.offline ?? false;
    let result: Api.CheckResult;
    try {
      result = await api.check({ ...common(args), log: () => {}, offline });
    } catch (err) {
      return emitReport(format, checkReport({ error: err, renderOp: renderOpCall, offline }), err);
    }
    // Annotations point at the entity lines behind each drift; only worth reading the models again then.
    let locations: Api.ModelLocations | undefined;
    if (!result.ok && format !== "text") {
      const { modelLocations } = await import("../report/locations.js");
      const { Workspace } = await import("../api/workspace.js");
      locations = await modelLocations(new Workspace({ ...common(args), log: () => {} }, "dialect").config).catch(() => undefined);
    }
    await emitReport(format, checkReport({ result, renderOp: renderOpCall, offline, ...(locations ? { locations } : {}) }));
  },
};

const status: CommandModule<GlobalArgs, FormatArgs & FleetArgs> = {
  command: "status",
  describe: "Laravel's migrate:status: every revision, applied or pending",
  builder: (y) => withFleetOptions(y).option("format", formatOption) as Argv<FormatArgs & FleetArgs>,
  handler: async (args) => {
    if (fleetWanted(args)) return runFleetCommand("status", args, common(args));
    const api = await loadApi();
    const format = args.format ?? "text";
    const { errorReport } = await import("../report/report.js");
    let details: Api.StatusDetails;
    try {
      details = await api.statusDetails(common(args));
    } catch (err) {
      // status keeps the exit codes of the other commands (1 failure, 2 usage).
      const report: Api.Report = { command: "status", status: "error", current: [], head: [], revisions: [], ...errorReport(err, false) };
      return emitReport(format, report, err);
    }
    const pending = details.revisions.some((r) => !r.applied);
    await emitReport(format, {
      command: "status",
      status: pending ? "pending" : "clean",
      exitCode: 0,
      current: details.current,
      head: details.heads,
      revisions: details.revisions,
    });
  },
};

interface TestArgs extends FormatArgs, FleetArgs {
  seed?: boolean;
  seeder?: string;
  "faker-seed"?: number;
}

const test: CommandModule<GlobalArgs, TestArgs> = {
  command: "test",
  describe:
    "pytest-alembic's checks on a scratch database autogen creates and drops: single head, upgrade, stairway, models match head, downgrade to base",
  builder: (y) =>
    withFleetOptions(y)
      .option("format", formatOption)
      .option("seed", { type: "boolean", default: false, describe: "Run DatabaseSeeder at head and check the stairway keeps the rows" })
      .option("seeder", { type: "string", describe: "Seed with this seeder instead (implies --seed)" })
      .option("faker-seed", fakerSeedOption) as Argv<TestArgs>,
  handler: async (args) => {
    if (fleetWanted(args))
      return runFleetCommand("test", args, common(args), { seed: args.seed ?? false, ...seedFlags(args.seeder, args["faker-seed"]) });
    const api = await loadApi();
    const format = args.format ?? "text";
    const { errorReport } = await import("../report/report.js");
    let result: Api.TestResult;
    try {
      result = await api.testMigrations({
        ...common(args),
        log: () => {},
        seed: args.seed ?? false,
        ...seedFlags(args.seeder, args["faker-seed"]),
      });
    } catch (err) {
      return emitReport(format, { command: "test", status: "error", checks: [], ...errorReport(err) }, err);
    }
    await emitReport(format, {
      command: "test",
      status: result.passed ? "passed" : "failed",
      exitCode: result.passed ? 0 : 1,
      database: result.database,
      checks: result.checks,
    });
  },
};

interface SeedArgs extends GlobalArgs, FleetArgs {
  class?: string;
  "faker-seed"?: number;
}

/** `--faker-seed` as the API takes it; yargs turns a non-number into NaN, which the API rejects. */
function seedFlags(seeder: string | undefined, fakerSeed: number | undefined): Api.SeedFlags {
  return {
    ...(seeder !== undefined ? { seeder } : {}),
    ...(fakerSeed !== undefined ? { fakerSeed } : {}),
  };
}

const fakerSeedOption = {
  type: "number",
  describe: "Seed faker (and fix its reference date) so the data is the same on every run",
} as const;

const seed: CommandModule<GlobalArgs, SeedArgs> = {
  command: "seed",
  aliases: ["db:seed"],
  describe: "Laravel's db:seed: run DatabaseSeeder (or --class) from the seeds directory, in one transaction",
  builder: (y) =>
    withFleetOptions(y, { format: true })
      .option("class", { type: "string", describe: "Seeder to run: a file name in the seeds directory", default: "DatabaseSeeder" })
      .option("faker-seed", fakerSeedOption) as Argv<SeedArgs>,
  handler: async (args) => {
    const api = await loadApi();
    if (fleetWanted(args)) return runFleetCommand("seed", args, common(args), seedFlags(args.class, args["faker-seed"]));
    await api.seed({ ...common(args), ...seedFlags(args.class, args["faker-seed"]) });
  },
};

interface SeedAfterArgs extends GlobalArgs {
  seed?: boolean;
  seeder?: string;
  "faker-seed"?: number;
}

function withSeedOptions<T>(y: Argv<T>): Argv<T & SeedAfterArgs> {
  return y
    .option("seed", { type: "boolean", default: false, describe: "Run DatabaseSeeder afterwards (Laravel's --seed)" })
    .option("seeder", { type: "string", describe: "Run this seeder afterwards (implies --seed)" })
    .option("faker-seed", fakerSeedOption) as Argv<T & SeedAfterArgs>;
}

function seedAfter(args: SeedAfterArgs): Api.SeedAfterMigrate {
  return { seed: args.seed ?? false, ...seedFlags(args.seeder, args["faker-seed"]) };
}

/** `--force`, and on a terminal the question it skips: what every data-destroying command takes. */
const forceOption = {
  alias: "f",
  type: "boolean",
  default: false,
  describe: "Do not ask for confirmation (needed when stdin is not a terminal)",
} as const;

function confirmation(args: { force?: boolean }): Api.ConfirmOptions {
  return { force: args.force ?? false, ...(process.stdin.isTTY ? { confirm: askOnTty } : {}) };
}

const fresh: CommandModule<GlobalArgs, GlobalArgs & SeedAfterArgs & { force?: boolean }> = {
  command: "fresh",
  describe:
    "Laravel's migrate:fresh: drop every table and enum type that one of the revisions creates, and the version table, then upgrade head (--seed: and seed). " +
    "Tables no revision creates (made by hand, by raw SQL in a revision, or listed in excludeTables) are left in place. Lists what it drops and asks first.",
  builder: (y) => withSeedOptions(y.option("force", forceOption) as Argv<GlobalArgs & { force?: boolean }>),
  handler: async (args) => {
    const api = await loadApi();
    await api.fresh({ ...common(args), ...confirmation(args), ...seedAfter(args) });
  },
};

const reset: CommandModule<GlobalArgs, GlobalArgs & { force?: boolean }> = {
  command: "reset",
  describe: "Laravel's migrate:reset: downgrade to base (asks first when tables hold rows; --force without a terminal)",
  builder: (y) => y.option("force", forceOption) as Argv<GlobalArgs & { force?: boolean }>,
  handler: async (args) => printMigrate(await (await loadApi()).reset({ ...common(args), ...confirmation(args) }), false),
};

const refresh: CommandModule<GlobalArgs, GlobalArgs & SeedAfterArgs & { force?: boolean }> = {
  command: "refresh",
  describe: "Laravel's migrate:refresh: reset, then upgrade head (--seed: and seed; asks first when tables hold rows)",
  builder: (y) => withSeedOptions(y.option("force", forceOption) as Argv<GlobalArgs & { force?: boolean }>),
  handler: async (args) =>
    printMigrate(await (await loadApi()).refresh({ ...common(args), ...confirmation(args), ...seedAfter(args) }), false),
};

const lint: CommandModule<GlobalArgs, FormatArgs & { range?: string; strict?: boolean }> = {
  command: "lint [range]",
  describe:
    "Check revisions against the migration lint rules (locking DDL on live tables, renames, NOT NULL without default, downgrades that do not restore data); " +
    "silence a rule for one op with `// autogen-lint-ignore <rule>` above it. Exit 1 when an unsafe finding is not silenced; notes (such as a downgrade's data not restored) only with --strict (exit codes as check's)",
  builder: (y) =>
    y
      .positional("range", { type: "string", describe: "from:to (ids, base, head) or one revision; default every revision" })
      .option("format", formatOption)
      .option("strict", { type: "boolean", default: false, describe: "Fail on notes too" }) as Argv<
      FormatArgs & { range?: string; strict?: boolean }
    >,
  handler: async (args) => {
    const api = await loadApi();
    const format = args.format ?? "text";
    const { errorReport } = await import("../report/report.js");
    let report: Api.LintReport;
    try {
      report = await api.lint({
        ...common(args),
        ...(args.range !== undefined ? { range: args.range } : {}),
        strict: args.strict ?? false,
      });
    } catch (err) {
      return emitReport(format, { command: "lint", status: "error", findings: [], ...errorReport(err) }, err);
    }
    if (format === "text") {
      // Text keeps the silenced findings for --verbose.
      for (const r of report.revisions) {
        if (r.notLinted) out(`${r.path}: not linted: ${r.notLinted} (autogen runs its code only when applying it)`);
        for (const f of r.findings) {
          if (f.silenced && !args.verbose) continue;
          out(
            `${r.path}${f.line !== undefined ? `:${f.line}` : ""}: ${f.direction}: ${f.rule}${f.severity === "note" ? " (note)" : ""}${f.silenced ? " (silenced)" : ""}: ${f.message}`,
          );
        }
      }
      const notes = report.notes ? `${report.notes} note(s) to review (--strict: fail on them too)` : "";
      out(
        report.count === 0
          ? notes
            ? `No unsafe lint findings; ${notes}.`
            : "No lint findings."
          : `${report.count} lint finding(s) to fix${notes ? `, ${notes}` : ""}; silence one with // autogen-lint-ignore <rule> above its op.`,
      );
      if (report.count > 0) process.exitCode = 1;
      return;
    }
    const findings = report.revisions.flatMap((r) =>
      r.findings.map((f) => ({
        revision: r.revision,
        path: r.path,
        ...(f.line !== undefined ? { line: f.line } : {}),
        direction: f.direction,
        rule: f.rule,
        severity: f.severity,
        message: f.message,
        silenced: f.silenced,
      })),
    );
    await emitReport(format, { command: "lint", status: report.count ? "findings" : "clean", exitCode: report.count ? 1 : 0, findings });
  },
};

export const commands = [
  init,
  revision,
  baseline,
  upgrade,
  downgrade,
  current,
  history,
  heads,
  branches,
  show,
  stamp,
  merge,
  check,
  test,
  status,
  fresh,
  reset,
  rollback,
  refresh,
  seed,
  lint,
] as unknown as CommandModule[];
