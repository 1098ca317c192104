/**
 * A report in each output format: `text` for people at a terminal, `json` for
 * programs, `github` for workflow-command annotations on a pull request's diff,
 * `markdown` for a pull-request comment. Pure functions of the report.
 */
import path from "node:path";
import type { SourceLocation } from "./locations.js";
import type { CheckReport, LintJsonReport, Report, ReportFormat, StatusReport, TestReport } from "./report.js";

/** The status text layout (`autogen status`), shared with the CLI's other tables. */
export function statusTable(rows: StatusReport["revisions"]): string {
  const header = ["Revision", "Message", "Status"] as const;
  const cells = rows.map((r) => [r.revision, r.message, r.applied ? "Applied" : "Pending"]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? "").length)));
  const line = (c: readonly string[]) =>
    c
      .map((v, i) => v.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

// ---------------------------------------------------------------- text

function checkText(r: CheckReport): string {
  if (r.error) return `autogen: error: ${r.error.message}`;
  const lines: string[] = [];
  if (r.status === "clean")
    lines.push(
      r.offline
        ? "No new upgrade operations detected (offline: compared with the replayed revisions)."
        : "No new upgrade operations detected.",
    );
  if (r.operations.length) lines.push(`New upgrade operations detected (${r.operations.length}):`);
  for (const op of r.operations) lines.push(`  ${op.code}`);
  const findings = r.findings.filter((f) => f.kind !== "notReplayable");
  if (findings.length) lines.push("Differences to review:");
  for (const f of findings) lines.push(`  autogen: ${f.kind}: ${f.message.split("\n")[0]}`);
  if (r.notReplayable.length) lines.push("Not replayable offline (raw SQL or code not run; the check cannot see what it changes):");
  for (const n of r.notReplayable) {
    lines.push(`  ${n.revision} (${n.path}): ${n.call === "code" ? n.sql : `op.${n.call}(${JSON.stringify(n.sql)})`}`);
  }
  return lines.join("\n");
}

function statusText(r: StatusReport): string {
  if (r.error) return `autogen: error: ${r.error.message}`;
  return r.revisions.length === 0 ? "No revisions yet." : statusTable(r.revisions);
}

function testText(r: TestReport): string {
  const lines = r.checks.map((c) => {
    const mark = c.status === "passed" ? "PASS" : c.status === "failed" ? "FAIL" : "SKIP";
    return `${mark}  ${c.name}${c.message ? `: ${c.message}` : ""}`;
  });
  if (r.error) lines.push(`autogen: error: ${r.error.message}`);
  const failed = r.checks.filter((c) => c.status === "failed").length;
  lines.push(r.status === "passed" ? `All ${r.checks.length} checks passed.` : `${failed} of ${r.checks.length} checks failed.`);
  return lines.join("\n");
}

// ---------------------------------------------------------------- github

/** Workflow-command escaping: the message (data) and property values. */
const escapeData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

function annotation(level: "error" | "warning" | "notice", message: string, title: string, at?: SourceLocation): string {
  const props = [
    ...(at ? [`file=${escapeProperty(path.relative(process.cwd(), at.file).split(path.sep).join("/"))}`, `line=${at.line}`] : []),
    `title=${escapeProperty(title)}`,
  ];
  return `::${level} ${props.join(",")}::${escapeData(message)}`;
}

function checkGithub(r: CheckReport): string {
  if (r.error) return annotation("error", r.error.message, `autogen check (exit ${r.exitCode})`);
  const lines: string[] = [];
  for (const op of r.operations) {
    const what = op.column ? `${op.table}.${op.column}` : (op.table ?? op.name ?? op.kind);
    lines.push(
      annotation(
        "error",
        `The database differs from the models here; a new revision would run: ${op.code}`,
        `autogen: drift (${op.kind} ${what})`,
        op.location,
      ),
    );
  }
  for (const f of r.findings) {
    lines.push(annotation(f.severity, f.message, `autogen: ${f.kind}`, f.location));
  }
  if (r.status === "clean") lines.push(annotation("notice", "The models match the database.", "autogen check"));
  return lines.join("\n");
}

function statusGithub(r: StatusReport): string {
  if (r.error) return annotation("error", r.error.message, `autogen status (exit ${r.exitCode})`);
  const pending = r.revisions.filter((x) => !x.applied);
  if (pending.length === 0) return annotation("notice", `All ${r.revisions.length} revisions are applied.`, "autogen status");
  return pending
    .map((x) => annotation("warning", `${x.revision} is not applied: ${x.message}`, "autogen: pending revision", { file: x.path, line: 1 }))
    .join("\n");
}

function testGithub(r: TestReport): string {
  const lines = r.checks
    .filter((c) => c.status === "failed")
    .map((c) => annotation("error", c.message ?? "failed", `autogen test: ${c.name}${c.revision ? ` (${c.revision})` : ""}`));
  if (r.error) lines.push(annotation("error", r.error.message, `autogen test (exit ${r.exitCode})`));
  if (lines.length === 0) lines.push(annotation("notice", `All ${r.checks.length} checks passed.`, "autogen test"));
  return lines.join("\n");
}

// ---------------------------------------------------------------- markdown

const code = (s: string) => "`" + s.replace(/`/g, "'") + "`";
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

function checkMarkdown(r: CheckReport): string {
  if (r.error) return `### autogen check: error (exit ${r.exitCode})\n\n${r.error.message}\n`;
  const out: string[] = [];
  if (r.status === "clean") {
    out.push(
      "### autogen check: clean",
      "",
      `The models match ${r.offline ? "the revision files (offline)" : "the database"} at ${r.head.join(", ") || "<base>"}.`,
    );
  } else {
    out.push(`### autogen check: drift (${r.operations.length} operation${r.operations.length === 1 ? "" : "s"})`, "");
  }
  // Destructive operations and the findings about them first: what a reviewer must not miss.
  const destructive = r.operations.filter((o) => o.destructive);
  const rest = r.operations.filter((o) => !o.destructive);
  const block = (ops: typeof r.operations) => ["```ts", ...ops.map((o) => o.code), "```"];
  if (destructive.length) out.push("**Destructive operations (data loss):**", "", ...block(destructive), "");
  if (rest.length) out.push(destructive.length ? "**Other operations:**" : "**Operations:**", "", ...block(rest), "");
  const rank = (f: CheckReport["findings"][number]) =>
    f.kind === "destructive" ? 0 : f.severity === "error" ? 1 : f.severity === "warning" ? 2 : 3;
  const findings = [...r.findings].sort((a, b) => rank(a) - rank(b));
  if (findings.length) {
    out.push("| Severity | Kind | Where | Message |", "| --- | --- | --- | --- |");
    for (const f of findings) {
      const where = f.location
        ? `${path.relative(process.cwd(), f.location.file)}:${f.location.line}`
        : [f.table, f.column].filter(Boolean).join(".") || (f.revision ?? "");
      out.push(`| ${f.severity} | ${f.kind} | ${cell(where)} | ${cell(f.message)} |`);
    }
    out.push("");
  }
  return out.join("\n");
}

function statusMarkdown(r: StatusReport): string {
  if (r.error) return `### autogen status: error (exit ${r.exitCode})\n\n${r.error.message}\n`;
  const pending = r.revisions.filter((x) => !x.applied).length;
  const out = [
    `### autogen status: ${pending ? `${pending} pending` : "up to date"}`,
    "",
    "| Revision | Message | Status |",
    "| --- | --- | --- |",
  ];
  for (const x of r.revisions) out.push(`| ${code(x.revision)} | ${cell(x.message)} | ${x.applied ? "Applied" : "**Pending**"} |`);
  return out.join("\n") + "\n";
}

function testMarkdown(r: TestReport): string {
  const out = [`### autogen test: ${r.status}`, "", "| Check | Result | Details |", "| --- | --- | --- |"];
  for (const c of r.checks)
    out.push(
      `| ${c.name} | ${c.status === "failed" ? "**failed**" : c.status} | ${cell([c.revision, c.message].filter(Boolean).join(": "))} |`,
    );
  if (r.error) out.push("", r.error.message);
  return out.join("\n") + "\n";
}

// ---------------------------------------------------------------- lint

function lintText(r: LintJsonReport): string {
  if (r.error) return `autogen: error: ${r.error.message}`;
  const open = r.findings.filter((f) => !f.silenced);
  const lines = open.map(
    (f) =>
      `${f.path}${f.line !== undefined ? `:${f.line}` : ""}: ${f.direction}: ${f.rule}${f.severity === "note" ? " (note)" : ""}: ${f.message}`,
  );
  lines.push(
    open.length === 0
      ? "No lint findings."
      : `${open.length} lint finding(s); silence one with // autogen-lint-ignore <rule> above its op.`,
  );
  return lines.join("\n");
}

function lintGithub(r: LintJsonReport): string {
  if (r.error) return annotation("error", r.error.message, `autogen lint (exit ${r.exitCode})`);
  const open = r.findings.filter((f) => !f.silenced);
  if (open.length === 0) return annotation("notice", "No lint findings.", "autogen lint");
  return open
    .map((f) =>
      annotation(f.severity === "note" ? "notice" : "error", `${f.direction}: ${f.message}`, `autogen lint: ${f.rule} (${f.revision})`, {
        file: f.path,
        line: f.line ?? 1,
      }),
    )
    .join("\n");
}

function lintMarkdown(r: LintJsonReport): string {
  if (r.error) return `### autogen lint: error (exit ${r.exitCode})\n\n${r.error.message}\n`;
  const open = r.findings.filter((f) => !f.silenced);
  if (open.length === 0) return "### autogen lint: clean\n";
  const out = [
    `### autogen lint: ${open.length} finding${open.length === 1 ? "" : "s"}`,
    "",
    "| Where | Direction | Rule | Message |",
    "| --- | --- | --- | --- |",
  ];
  for (const f of open) {
    out.push(
      `| ${cell(`${path.relative(process.cwd(), f.path)}${f.line !== undefined ? `:${f.line}` : ""}`)} | ${f.direction} | ${f.rule}${f.severity === "note" ? " (note)" : ""} | ${cell(f.message)} |`,
    );
  }
  return out.join("\n") + "\n";
}

// ---------------------------------------------------------------- dispatch

export function renderReport(report: Report, format: ReportFormat): string {
  if (format === "json") return JSON.stringify(report, null, 2);
  switch (report.command) {
    case "check":
      return format === "github" ? checkGithub(report) : format === "markdown" ? checkMarkdown(report) : checkText(report);
    case "status":
      return format === "github" ? statusGithub(report) : format === "markdown" ? statusMarkdown(report) : statusText(report);
    case "test":
      return format === "github" ? testGithub(report) : format === "markdown" ? testMarkdown(report) : testText(report);
    case "lint":
      return format === "github" ? lintGithub(report) : format === "markdown" ? lintMarkdown(report) : lintText(report);
  }
}
