/**
 * The machine-readable report of a CI command: one plain object, the same for every
 * output format. `--format json` prints it as it is (schemas/report.schema.json
 * documents it); the text, GitHub and Markdown renderers read from it.
 */
import type { CheckResult } from "../api/check.js";
import type { StatusRow } from "../api/status.js";
import type { Finding } from "../diff/types.js";
import { ExitCode, ciExitCode, errorMessage, UserError, type ExitCodeValue } from "../errors.js";
import type { Op } from "../ops/ops.js";
import { definitionOf } from "../ops/registry.js";
import type { NotReplayable } from "../runtime/replay.js";
import type { ModelLocations, SourceLocation } from "./locations.js";

export const REPORT_FORMATS = ["text", "json", "github", "markdown"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export type Severity = "error" | "warning" | "notice";

export interface ReportOperation {
  kind: Op["kind"];
  table?: string;
  column?: string;
  /** The index, constraint or enum the op names. */
  name?: string;
  /** The op call as it would be written in a revision file. */
  code: string;
  /** It loses data (or may): reviewers read these first. */
  destructive: boolean;
  location?: SourceLocation;
}

export interface ReportFinding {
  kind: string;
  severity: Severity;
  message: string;
  table?: string;
  column?: string;
  revision?: string;
  location?: SourceLocation;
}

export interface ReportError {
  message: string;
  category: "usage" | "config" | "state" | "connect" | "internal";
}

interface ReportBase {
  /** "clean"/"passed" when nothing is wrong. */
  status: string;
  exitCode: ExitCodeValue;
  error?: ReportError;
}

export interface CheckReport extends ReportBase {
  command: "check";
  status: "clean" | "drift" | "error";
  offline: boolean;
  current: string[];
  head: string[];
  operations: ReportOperation[];
  findings: ReportFinding[];
  notReplayable: NotReplayable[];
}

export interface StatusReport extends ReportBase {
  command: "status";
  status: "clean" | "pending" | "error";
  current: string[];
  head: string[];
  revisions: StatusRow[];
}

export interface TestCheckReport {
  name: string;
  status: "passed" | "failed" | "skipped";
  message?: string;
  revision?: string;
}

export interface TestReport extends ReportBase {
  command: "test";
  status: "passed" | "failed" | "error";
  database?: string;
  checks: TestCheckReport[];
}

export interface LintReportEntry {
  revision: string;
  path: string;
  line?: number;
  direction: "upgrade" | "downgrade";
  rule: string;
  /** An error fails the lint; a note only with --strict. */
  severity?: "error" | "note";
  message: string;
  silenced: boolean;
}

export interface LintJsonReport extends ReportBase {
  command: "lint";
  status: "clean" | "findings" | "error";
  findings: LintReportEntry[];
}

export type Report = CheckReport | StatusReport | TestReport | LintJsonReport;

/** The table, column and name an op is about. */
export function opSubject(op: Op): { table?: string; column?: string; name?: string } {
  return definitionOf(op).subject(op);
}

const ALWAYS_DESTRUCTIVE = new Set<Op["kind"]>(["dropTable", "dropColumn", "dropEnum"]);
// (dropView and the dropping of database-level objects lose no rows: not destructive in this sense.)

function severityOf(f: Finding): Severity {
  if (f.kind === "unsupported") return "error";
  if (f.kind === "destructive" || f.kind === "irreversible" || f.kind === "unnamedConstraint") return "warning";
  return "notice";
}

export interface CheckReportInput {
  result?: CheckResult;
  error?: unknown;
  locations?: ModelLocations;
  /** Renders an op as the call a revision file would hold. */
  renderOp: (op: Op) => string;
  offline?: boolean;
}

function clean<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * The report of a command stopped by `err`. `ciCodes`: the exit code is the CI one
 * (`check`, `test`, `lint`); otherwise the command's usual one (`status`: 1, 2 for usage).
 */
export function errorReport(err: unknown, ciCodes = true): { exitCode: ExitCodeValue; error: ReportError } {
  const category = err instanceof UserError ? (err.category ?? "config") : "internal";
  const exitCode = ciCodes ? ciExitCode(err) : err instanceof UserError ? err.exitCode : ExitCode.drift;
  return { exitCode, error: { message: errorMessage(err).split("\n")[0] ?? "", category } };
}

export function checkReport(input: CheckReportInput): CheckReport {
  const { result } = input;
  if (!result) {
    return {
      command: "check",
      status: "error",
      offline: input.offline ?? false,
      current: [],
      head: [],
      operations: [],
      findings: [],
      notReplayable: [],
      ...errorReport(input.error),
    };
  }
  const where = (table?: string, column?: string) => (table ? input.locations?.locate(table, column) : undefined);
  const operations = result.ops.map((op, i): ReportOperation => {
    const subject = opSubject(op);
    const destructive = ALWAYS_DESTRUCTIVE.has(op.kind) || result.findings.some((f) => f.kind === "destructive" && f.opIndex === i);
    return clean({ kind: op.kind, ...subject, code: input.renderOp(op), destructive, location: where(subject.table, subject.column) });
  });
  const findings = result.findings.map((f): ReportFinding =>
    clean({
      kind: f.kind,
      severity: severityOf(f),
      message: f.message,
      table: f.table,
      column: f.column,
      location: where(f.table, f.column),
    }),
  );
  for (const n of result.notReplayable) {
    findings.push({
      kind: "notReplayable",
      severity: "warning",
      revision: n.revision,
      message:
        n.call === "code"
          ? `${n.path}: ${n.revision} is not replayable offline (${n.sql}); the check cannot see what it changes`
          : `${n.path}: op.${n.call}() is not replayable offline; the check cannot see what it changes: ${n.sql}`,
    });
  }
  return {
    command: "check",
    status: result.ok ? "clean" : "drift",
    exitCode: result.ok ? ExitCode.clean : ExitCode.drift,
    offline: result.offline,
    current: result.current,
    head: result.heads,
    operations,
    findings,
    notReplayable: result.notReplayable,
  };
}
