/**
 * The fleet flags (`--all-tenants`, `--tenant`, `--concurrency`, `--fail-fast`,
 * `--canary`, and `--format` where the command has none) and the one report a fleet run
 * prints. The commands in commands.ts hand over to `runFleetCommand` when asked for tenants.
 */
import type { Argv } from "yargs";
import type { CommonOptions } from "../api/workspace.js";
import type { FleetCommand, FleetOptions, FleetResult } from "../fleet/index.js";
import { UsageError } from "../errors.js";
import { REPORT_FORMATS, type ReportFormat } from "../report/report.js";
import { writeLine } from "./progress.js";

export interface FleetArgs {
  "all-tenants"?: boolean;
  tenant?: string[];
  concurrency?: number;
  "fail-fast"?: boolean;
  canary?: number;
  format?: ReportFormat;
  verbose?: boolean;
}

/** The flags; `format: true` adds --format for a command that has none of its own. */
export function withFleetOptions<T>(y: Argv<T>, options: { format?: boolean; canary?: boolean } = {}): Argv<T & FleetArgs> {
  let argv = y
    .option("all-tenants", { type: "boolean", describe: 'Run on every tenant of the config\'s "tenants" (README "Many tenants")' })
    .option("tenant", { type: "string", array: true, describe: "Run on this tenant (repeatable)" })
    .option("concurrency", { type: "number", describe: "Tenants at once, and connections open at once (default 4)" })
    .option("fail-fast", { type: "boolean", describe: "Start no new tenant after one failed" });
  if (options.canary) argv = argv.option("canary", { type: "number", describe: "Run N tenants first; stop if any of them fails" });
  if (options.format) {
    argv = argv.option("format", {
      type: "string",
      choices: REPORT_FORMATS,
      default: "text",
      describe: "With tenants: text, json (one object, schemas/report.schema.json), github, markdown",
    });
  }
  return argv as Argv<T & FleetArgs>;
}

export function fleetWanted(args: FleetArgs): boolean {
  return args["all-tenants"] === true || (args.tenant?.length ?? 0) > 0;
}

/** Runs `command` on the tenants, prints the report and sets the exit code. */
export async function runFleetCommand(
  command: FleetCommand,
  args: FleetArgs,
  common: CommonOptions,
  extra: Partial<FleetOptions> = {},
): Promise<void> {
  const single = (["sql", "offline", "rehash"] as const).find((flag) => (args as Record<string, unknown>)[flag] === true);
  if (single) throw new UsageError(`--${single} works on one database; it does not go with --all-tenants or --tenant`);
  const { fleet } = await import("../fleet/index.js");
  const { fleetReport, renderFleetReport } = await import("../report/fleet.js");
  const format = args.format ?? "text";
  const run = fleet({
    ...common,
    ...extra,
    log: () => {},
    command,
    tenants: (args.tenant ?? []).map(String),
    allTenants: args["all-tenants"] ?? false,
    ...(args.concurrency !== undefined ? { concurrency: args.concurrency } : {}),
    failFast: args["fail-fast"] ?? false,
    ...(args.canary !== undefined ? { canary: args.canary } : {}),
    ...(args.verbose ? { tenantLog: (tenant: string, line: string) => writeLine(`[${tenant}] ${line}`) } : {}),
  });
  let result: FleetResult;
  try {
    result = await run;
  } catch (err) {
    // Stopped before any tenant ran (no tenants, a broken revision file): the machine formats still get one report.
    if (format === "text") throw err;
    const { fleetErrorReport } = await import("../report/fleet.js");
    const { UserError, errorMessage } = await import("../errors.js");
    const report = fleetErrorReport(command, err);
    writeLine(renderFleetReport(report, format));
    throw Object.assign(new UserError(errorMessage(err), report.exitCode), { cause: err });
  }
  const report = fleetReport(result);
  writeLine(renderFleetReport(report, format));
  if (report.exitCode !== 0) process.exitCode = report.exitCode;
}
