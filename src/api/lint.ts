/**
 * `autogen lint [range]`: the lint rules (src/lint/rules.ts) over existing revisions,
 * upgrade and downgrade, each revision checked against the schema the revisions before
 * it built (replayed, no database). Returns data; the CLI prints it.
 */
import { readFileSync } from "node:fs";
import { UsageError, UserError, errorMessage } from "../errors.js";
import { lintOps, type LintFinding } from "../lint/rules.js";
import { callSites } from "../lint/silence.js";
import { SchemaState } from "../ops/apply.js";
import type { Op } from "../ops/ops.js";
import { resolve, upgradePath, type RevisionScript } from "../revisions/index.js";
import { purityOf } from "../revisions/purity.js";
import { recordStep, type Step } from "../runtime/execute.js";
import { emptySchema } from "../schema/ir.js";
import { Workspace, type CommonOptions } from "./workspace.js";

export interface LintOptions extends CommonOptions {
  /** `from:to` (ids, base, head), or a single revision; default every revision. */
  range?: string;
  /** Notes fail too, not only errors (LINT_SEVERITY). */
  strict?: boolean;
}

export interface LintReportFinding extends LintFinding {
  /** Line of the op's call in the file, when found. */
  line?: number;
  /** Silenced by `// autogen-lint-ignore <rule>` above the op. */
  silenced: boolean;
}

export interface LintReport {
  /** `notLinted`: why the revision's code was not run to lint it (it has side effects). */
  revisions: Array<{ revision: string; path: string; findings: LintReportFinding[]; notLinted?: string }>;
  /** Findings not silenced that fail the lint: errors (with `strict`, notes too). */
  count: number;
  /** Notes not silenced that do not count (without `strict`). */
  notes: number;
}

const stepOf = (script: RevisionScript, direction: Step["direction"]): Step => ({ script, direction, rowsBefore: [], versionActions: [] });

function selected(graph: ReturnType<Workspace["graph"]>, range: string | undefined): Set<string> {
  if (range === undefined) return new Set(upgradePath(graph, [], "heads").map((s) => s.revision));
  const parts = range.split(":");
  if (parts.length > 2) throw new UsageError(`Invalid range '${range}'; expected from:to or a revision`);
  if (parts.length === 1) return new Set(resolve(range, { graph }).revisions);
  const from = parts[0] && parts[0] !== "base" ? resolve(parts[0], { graph }).revisions : [];
  return new Set(upgradePath(graph, from, parts[1] || "heads").map((s) => s.revision));
}

export async function lint(options: LintOptions = {}): Promise<LintReport> {
  const ws = new Workspace(options, "dialect");
  const graph = ws.graph();
  const wanted = selected(graph, options.range);
  const database = ws.dialect.lint;
  const state = new SchemaState(emptySchema(ws.dialect.name));
  const report: LintReport = { revisions: [], count: 0, notes: 0 };
  for (const script of upgradePath(graph, [], "heads")) {
    // Code with side effects runs only when applied: not linted, and said so.
    const { sideEffects } = purityOf(script);
    if (sideEffects) {
      if (wanted.has(script.revision))
        report.revisions.push({ revision: script.revision, path: script.path, findings: [], notLinted: sideEffects });
      continue;
    }
    let up: Op[];
    let down: Op[];
    try {
      up = await recordStep(stepOf(script, "upgrade"), ws.dialect.name);
      down = await recordStep(stepOf(script, "downgrade"), ws.dialect.name);
    } catch (err) {
      if (!wanted.has(script.revision)) continue;
      throw new UserError(`${script.path}: cannot lint: ${errorMessage(err)}`);
    }
    const before = structuredClone(state.schema);
    for (const op of up) {
      if (op.kind === "execute") continue;
      try {
        state.apply(op);
      } catch {
        // Raw SQL earlier may have made what this op expects; lint goes on with what it knows.
      }
    }
    if (!wanted.has(script.revision)) continue;
    const text = readFileSync(script.path, "utf8");
    const findings: LintReportFinding[] = [];
    for (const [direction, ops, start] of [
      ["upgrade", up, before],
      ["downgrade", down, state.schema],
    ] as const) {
      const sites = callSites(text, direction, ops);
      const found = lintOps(ops, {
        before: start,
        direction,
        ...(database ? { database } : {}),
        ...(direction === "downgrade" ? { upgradeOps: up } : {}),
      });
      for (const f of found) {
        const site = sites[f.opIndex];
        findings.push({ ...f, ...(site?.line !== undefined ? { line: site.line } : {}), silenced: site?.ignored.has(f.rule) ?? false });
      }
    }
    const open = findings.filter((f) => !f.silenced);
    const failing = open.filter((f) => options.strict || f.severity === "error").length;
    report.count += failing;
    report.notes += open.length - failing;
    report.revisions.push({ revision: script.revision, path: script.path, findings });
  }
  return report;
}
