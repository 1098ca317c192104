/**
 * The one report of a fleet run: an entry per tenant (name, from, to, status, duration,
 * error or drift) and a summary, in every output format. `--format json` prints the
 * object as it is (the `fleetReport` of schemas/report.schema.json).
 */
import { ExitCode, UserError, ciExitCode, type ExitCodeValue } from "../errors.js";
import { redactUrlsIn } from "../dialects/redact.js";
import type { FleetCommand, FleetResult, TenantStatus } from "../fleet/index.js";
import { TENANT_STATUSES } from "../fleet/schedule.js";
import { errorReport, type ReportError, type ReportFormat } from "./report.js";

export interface FleetTenantEntry {
  name: string;
  status: TenantStatus;
  from: string[];
  to: string[];
  durationMs: number;
  steps?: number;
  error?: string;
  drift?: string;
  detail?: string;
}

export interface FleetReport {
  command: FleetCommand;
  status: "ok" | "failed" | "drift" | "error";
  exitCode: ExitCodeValue;
  /** Why the run stopped before any tenant ran. */
  error?: ReportError;
  summary: { tenants: number; durationMs: number; concurrency: number; peakConnections: number } & Partial<Record<TenantStatus, number>>;
  tenants: FleetTenantEntry[];
}

/**
 * Exit code: a tenant that failed gives the code its error gives alone (for `check`, the
 * CI codes: 3 behind head, 4 cannot connect…; elsewhere 1); else drift is 1; else 0.
 */
function exitCodeOf(result: FleetResult): ExitCodeValue {
  const failed = result.tenants.filter((t) => t.status === "failed");
  if (failed.length) {
    if (result.command !== "check") return ExitCode.drift;
    const cause = failed[0]!.cause;
    return cause instanceof UserError ? ciExitCode(cause) : ExitCode.usage;
  }
  return result.tenants.some((t) => t.status === "drift") ? ExitCode.drift : ExitCode.clean;
}

export function fleetReport(result: FleetResult): FleetReport {
  // In TENANT_STATUSES order, so the summary reads the same whatever order tenants finished in.
  const counts: Partial<Record<TenantStatus, number>> = {};
  for (const status of TENANT_STATUSES) {
    const n = result.tenants.filter((t) => t.status === status).length;
    if (n) counts[status] = n;
  }
  const exitCode = exitCodeOf(result);
  return {
    command: result.command,
    status: counts.failed ? "failed" : counts.drift ? "drift" : "ok",
    exitCode,
    summary: {
      tenants: result.tenants.length,
      ...counts,
      durationMs: Math.round(result.durationMs),
      concurrency: result.concurrency,
      peakConnections: result.peakConnections,
    },
    tenants: result.tenants.map((t) => {
      const entry: FleetTenantEntry = { name: t.name, status: t.status, from: t.from, to: t.to, durationMs: Math.round(t.durationMs) };
      if (t.steps !== undefined) entry.steps = t.steps;
      if (t.error !== undefined) entry.error = t.error;
      if (t.drift !== undefined) entry.drift = t.drift;
      if (t.detail !== undefined) entry.detail = t.detail;
      return entry;
    }),
  };
}

/** The report of a run stopped before any tenant ran (`check`: the CI exit codes; elsewhere 1, 2 for usage). */
export function fleetErrorReport(command: FleetCommand, err: unknown): FleetReport {
  const { exitCode, error } = errorReport(err, command === "check");
  return {
    command,
    status: "error",
    exitCode,
    error: { ...error, message: redactUrlsIn(error.message) },
    summary: { tenants: 0, durationMs: 0, concurrency: 1, peakConnections: 0 },
    tenants: [],
  };
}

const revs = (list: readonly string[]) => (list.length ? list.join(", ") : "<base>");
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** "28 upgraded, 1 unchanged, 1 failed". */
function counts(r: FleetReport): string {
  const parts = Object.entries(r.summary)
    .filter(([k]) => !["tenants", "durationMs", "concurrency", "peakConnections"].includes(k))
    .map(([k, v]) => `${v} ${k.replace("-", " ")}`);
  return parts.join(", ") || "nothing to do";
}

/** What a tenant line says after its name. */
function tenantLine(t: FleetTenantEntry): string {
  if (t.status === "failed") return `failed: ${t.error ?? ""}`;
  if (t.status === "drift") return `drift: ${t.drift ?? ""}`;
  if (t.status === "pending" || t.status === "clean")
    return `${revs(t.to)}${t.status === "clean" ? " (head)" : ` (${t.detail ?? "behind head"})`}`;
  return t.status;
}

function text(r: FleetReport): string {
  if (r.error) return `autogen: error: ${r.error.message}`;
  // current and status are asked for every tenant's answer; the others report what went wrong.
  const every = r.command === "current" || r.command === "status";
  const lines = r.tenants.filter((t) => every || t.status === "failed" || t.status === "drift").map((t) => `${t.name}: ${tenantLine(t)}`);
  const stopped = r.summary["not-run"] ? " (stopped after a failure)" : "";
  lines.push(`${r.command} on ${r.summary.tenants} tenant(s): ${counts(r)}${stopped} in ${seconds(r.summary.durationMs)}`);
  return lines.join("\n");
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

function markdown(r: FleetReport): string {
  if (r.error) return `### autogen ${r.command}: error (exit ${r.exitCode})\n\n${r.error.message}\n`;
  const out = [
    `### autogen ${r.command}: ${r.summary.tenants} tenant(s), ${counts(r)}`,
    "",
    "| Tenant | Status | From | To | Duration | Details |",
    "| --- | --- | --- | --- | --- | --- |",
  ];
  for (const t of r.tenants) {
    const status = t.status === "failed" || t.status === "drift" ? `**${t.status}**` : t.status;
    const details = t.error ?? t.drift ?? t.detail ?? "";
    out.push(`| ${cell(t.name)} | ${status} | ${cell(revs(t.from))} | ${cell(revs(t.to))} | ${t.durationMs} ms | ${cell(details)} |`);
  }
  return out.join("\n") + "\n";
}

const escapeData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

function github(r: FleetReport): string {
  if (r.error) return `::error title=${escapeProperty(`autogen ${r.command} (exit ${r.exitCode})`)}::${escapeData(r.error.message)}`;
  const lines = r.tenants
    .filter((t) => t.status === "failed" || t.status === "drift")
    .map(
      (t) =>
        `::error title=${escapeProperty(`autogen ${r.command}: tenant ${t.name} ${t.status}`)}::${escapeData(t.error ?? t.drift ?? "")}`,
    );
  lines.push(`::notice title=${escapeProperty(`autogen ${r.command}`)}::${escapeData(`${r.summary.tenants} tenant(s): ${counts(r)}`)}`);
  return lines.join("\n");
}

export function renderFleetReport(r: FleetReport, format: ReportFormat): string {
  switch (format) {
    case "json":
      return JSON.stringify(r, null, 2);
    case "markdown":
      return markdown(r);
    case "github":
      return github(r);
    default:
      return text(r);
  }
}
