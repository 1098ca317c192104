/**
 * What each fleet command does on one tenant's workspace: the ordinary command, after
 * one read of the version table (a tenant already at the target does nothing more).
 */
import type { Workspace } from "../api/workspace.js";
import { downgradePath, planVersionSteps, upgradePath, type RevisionScript } from "../revisions/index.js";
import { sameSet } from "../schema/compare.js";
import type { FleetCommand, FleetOptions } from "./index.js";
import { TenantFailure, type TenantWork } from "./schedule.js";

type Job = (ws: Workspace, options: FleetOptions) => Promise<TenantWork>;

/** Rows read before the work began, kept for the report when the work fails. */
const rowsBefore = new WeakMap<Workspace, string[]>();

/**
 * A tenant's error with its version rows before and now (revisions that committed before
 * the failing one stay applied); the rows now are read on a fresh connection, if it can be had.
 */
export async function failure(ws: Workspace, err: unknown): Promise<TenantFailure> {
  const from = rowsBefore.get(ws);
  if (from === undefined) return new TenantFailure(err, [], []);
  const now = await readRows(ws).catch(() => from);
  return new TenantFailure(err, from, now);
}

const readRows = (ws: Workspace) => ws.withConnection((conn) => ws.readHeads(conn));

/** The rows at the start of a tenant's work. */
async function startRows(ws: Workspace): Promise<string[]> {
  const rows = await readRows(ws);
  rowsBefore.set(ws, rows);
  return rows;
}

/**
 * The version rows after `path` ran from `from`, as planned: the runner applied exactly
 * that plan under the tenant's run lock (or planned again to the same absolute target).
 */
function headsAfter(ws: Workspace, from: string[], path: RevisionScript[], direction: "upgrade" | "downgrade"): string[] {
  return [...(planVersionSteps(ws.graph(), from, path, direction).at(-1)?.heads ?? from)].sort();
}

export const JOBS: Record<FleetCommand, Job> = {
  async upgrade(ws, options) {
    const target = options.target ?? "head";
    const from = await startRows(ws);
    const path = upgradePath(ws.graph(), from, target);
    if (path.length === 0) return { status: "unchanged", from, to: from };
    const { upgrade } = await import("../api/migrate.js");
    const { steps } = await upgrade({ workspace: ws, target });
    return { status: steps.length ? "upgraded" : "unchanged", from, to: headsAfter(ws, from, path, "upgrade"), steps: steps.length };
  },
  async downgrade(ws, options) {
    const target = options.target ?? "";
    const from = await startRows(ws);
    const path = downgradePath(ws.graph(), from, target);
    if (path.length === 0) return { status: "unchanged", from, to: from };
    const { downgrade } = await import("../api/migrate.js");
    const { steps } = await downgrade({ workspace: ws, target, force: options.force ?? false });
    return { status: steps.length ? "downgraded" : "unchanged", from, to: headsAfter(ws, from, path, "downgrade"), steps: steps.length };
  },
  async current(ws) {
    const rows = await readRows(ws);
    return { status: sameSet(rows, ws.graph().heads) ? "clean" : "pending", from: rows, to: rows };
  },
  async status(ws) {
    const { statusDetails } = await import("../api/status.js");
    const details = await statusDetails({ workspace: ws });
    const pending = details.revisions.filter((r) => !r.applied).length;
    return {
      status: pending ? "pending" : "clean",
      from: details.current,
      to: details.current,
      ...(pending ? { detail: `${pending} pending` } : {}),
    };
  },
  async check(ws) {
    const { check } = await import("../api/check.js");
    const result = await check({ workspace: ws });
    if (result.ok) return { status: "clean", from: result.current, to: result.current };
    const { renderOpCall } = await import("../codegen/opCalls.js");
    const codes = result.ops.map((op) => renderOpCall(op).replace(/\s+/g, " "));
    const findings = result.findings.filter((f) => f.kind === "unsupported").map((f) => f.message.split("\n")[0]);
    const all = [...codes, ...findings];
    const shown = all.slice(0, 3).join("; ");
    const drift = `${result.ops.length} operation(s): ${shown}${all.length > 3 ? `; … ${all.length - 3} more` : ""}`;
    return { status: "drift", from: result.current, to: result.current, drift };
  },
  async stamp(ws, options) {
    const from = await startRows(ws);
    const { stamp } = await import("../api/migrate.js");
    const { heads } = await stamp({ workspace: ws, revisions: options.revisions ?? [], purge: options.purge ?? false });
    return { status: sameSet(heads, from) ? "unchanged" : "stamped", from, to: heads };
  },
  async test(ws, options) {
    const { testMigrations } = await import("../api/test-suite.js");
    const result = await testMigrations({
      workspace: ws,
      seed: options.seed ?? false,
      ...(options.seeder !== undefined ? { seeder: options.seeder } : {}),
      ...(options.fakerSeed !== undefined ? { fakerSeed: options.fakerSeed } : {}),
    });
    if (result.passed) return { status: "passed", from: [], to: [] };
    const failed = result.checks.filter((c) => c.status === "failed").map((c) => `${c.name}: ${c.message ?? "failed"}`);
    throw new Error(failed.join("; "));
  },
  async seed(ws, options) {
    const { seed } = await import("../api/seed.js");
    const rows = await readRows(ws);
    await seed({
      workspace: ws,
      ...(options.seeder !== undefined ? { seeder: options.seeder } : {}),
      ...(options.fakerSeed !== undefined ? { fakerSeed: options.fakerSeed } : {}),
    });
    return { status: "seeded", from: rows, to: rows };
  },
};
