/**
 * What the migration log makes possible: Laravel's `migrate:rollback` (revert the last
 * `upgrade` run, or the last N revisions with `step`) and `stamp --rehash` (accept an
 * intended edit of an applied revision by recording its new checksum).
 */
import { categorized, UsageError } from "../errors.js";
import { appliedSet, planVersionSteps, resolve } from "../revisions/index.js";
import { revisionChecksum } from "../revisions/checksum.js";
import { describeStep, executeStep } from "../runtime/execute.js";
import type { MigrateResult } from "./migrate.js";
import { Workspace, type CommonOptions } from "./workspace.js";

export interface RollbackOptions extends CommonOptions {
  /** Revert the last N applied revisions instead of the last run. */
  step?: number;
}

export async function rollback(options: RollbackOptions = {}): Promise<MigrateResult> {
  if (options.step !== undefined && (!Number.isSafeInteger(options.step) || options.step < 1)) {
    throw new UsageError(
      `--step must be a whole number of revisions, 1 or more${Number.isNaN(options.step) ? "" : `, got ${options.step}`}`,
    );
  }
  const ws = new Workspace(options);
  const graph = ws.graph();
  return ws.withConnection(async (conn) => {
    await ws.ensureVersionTable(conn);
    const log = ws.migrationLog(conn);
    const rows = await ws.readHeads(conn);
    await log.ensure(graph, rows);
    const applied = appliedSet(graph, rows);
    // Upgrades still in effect, newest first. Revisions applied before the log existed
    // (baselined) belong to no known run: only an explicit --step reaches them.
    const counted = options.step !== undefined ? ["upgrade", "baseline"] : ["upgrade"];
    const upgrades = (await log.entries()).filter((e) => counted.includes(e.action) && applied.has(e.revision)).reverse();
    const seen = new Set<string>();
    const latest = upgrades.filter((e) => !seen.has(e.revision) && seen.add(e.revision));
    let chosen: string[];
    if (options.step !== undefined) {
      chosen = latest.slice(0, options.step).map((e) => e.revision);
    } else {
      const lastBatch = latest[0]?.batch;
      chosen = latest.filter((e) => e.batch === lastBatch).map((e) => e.revision);
    }
    if (chosen.length === 0) {
      ws.log(
        "Nothing to roll back: the migration log has no upgrade run that is still applied (revisions applied before the log existed: use --step N or downgrade).",
      );
      return { steps: [] };
    }
    // Children first, whatever order they were applied in.
    const order = graph.order.filter((id) => chosen.includes(id)).reverse();
    const journal = log.journal(await log.nextBatch());
    const done: string[] = [];
    for (const id of order) {
      const before = await ws.readHeads(conn);
      const stillApplied = appliedSet(graph, before);
      const dependents = graph.order.filter((other) => stillApplied.has(other) && other !== id && graph.ancestors([other]).has(id));
      if (dependents.length) {
        throw categorized(
          `rollback: ${id} cannot be reverted while ${dependents.join(", ")} (applied later, outside this run) still depend on it; downgrade those first`,
          "state",
        );
      }
      const node = graph.get(id);
      const [planned] = planVersionSteps(graph, before, [node], "downgrade");
      if (!planned) continue;
      const step = { script: node, direction: "downgrade" as const, rowsBefore: before, versionActions: planned.actions };
      const line = describeStep(step);
      ws.log(line);
      await executeStep(conn, ws.context, step, ws.log, journal);
      done.push(line);
    }
    return { steps: done };
  });
}

/** `stamp --rehash REV`: the applied revision's file was edited on purpose; record its new checksum. */
export async function rehash(options: CommonOptions & { revision: string }): Promise<{ revision: string; checksum: string }> {
  const ws = new Workspace(options);
  const graph = ws.graph();
  return ws.withConnection(async (conn) => {
    await ws.ensureVersionTable(conn);
    const log = ws.migrationLog(conn);
    const rows = await ws.readHeads(conn);
    await log.ensure(graph, rows);
    const ids = resolve(options.revision, { graph, currentHeads: rows }).revisions;
    if (ids.length !== 1) throw new UsageError(`stamp --rehash ${options.revision}: name one revision`);
    const id = ids[0]!;
    if (!appliedSet(graph, rows).has(id)) {
      throw new UsageError(`stamp --rehash ${id}: the revision is not applied; only an applied revision has a checksum to renew`);
    }
    const checksum = await revisionChecksum(graph.get(id), ws.dialect.name);
    await log.record({ revision: id, action: "rehash", checksum, batch: await log.nextBatch(), durationMs: null });
    ws.log(`Rehashed ${id}: the log now expects checksum ${checksum.slice(0, 12)}`);
    return { revision: id, checksum };
  });
}
