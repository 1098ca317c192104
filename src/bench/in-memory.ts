/**
 * Sections 2-4: the pure stages of autogenerate, without a database — the differ on a
 * large schema, the op model (applyOps / reverseOps) and the revision writer.
 */
import { renderRevision } from "../codegen/index.js";
import type { Dialect } from "../dialects/dialect.js";
import { diffSchemas } from "../diff/index.js";
import { applyOps } from "../ops/apply.js";
import { reverseOps } from "../ops/reverse.js";
import { emptySchema } from "../schema/ir.js";
import { timedRuns } from "./measure.js";
import { createTableOps, syntheticSchema, withChangedTables } from "./synthetic-schema.js";
import { diffOptionsFor } from "../diff/options.js";

export interface Figure {
  label: string;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** What the run produced, for the reader to sanity-check the figure. */
  detail: string;
}

export async function benchDiff(dialect: Dialect, tables: number, share: number): Promise<Figure[]> {
  const current = syntheticSchema(dialect, tables);
  const { schema: target, changed } = withChangedTables(dialect, current, share);
  const options = diffOptionsFor(dialect);
  const changedRun = await timedRuns(5, () => diffSchemas(target, current, options));
  const identicalRun = await timedRuns(5, () => diffSchemas(current, structuredClone(current), options));
  return [
    {
      label: `diffSchemas ${tables} tables, ${changed} changed`,
      ...changedRun,
      detail: `${changedRun.last.ops.length} ops, ${changedRun.last.findings.length} findings`,
    },
    {
      label: `diffSchemas ${tables} tables, identical`,
      ...identicalRun,
      detail: `${identicalRun.last.ops.length} ops`,
    },
  ];
}

export async function benchOpModel(dialect: Dialect, tables: number): Promise<Figure[]> {
  const ops = createTableOps(syntheticSchema(dialect, tables));
  const empty = emptySchema(dialect.name);
  const apply = await timedRuns(3, () => applyOps(empty, ops));
  const reverse = await timedRuns(3, () => reverseOps(ops));
  const full = apply.last;
  const applyReversed = await timedRuns(3, () => applyOps(full, reverse.last));
  return [
    { label: `applyOps ${ops.length} createTable`, ...apply, detail: `${full.tables.length} tables` },
    { label: `reverseOps ${ops.length} createTable`, ...reverse, detail: `${reverse.last.length} dropTable` },
    {
      label: `applyOps ${ops.length} dropTable`,
      ...applyReversed,
      detail: `${applyReversed.last.tables.length} tables left`,
    },
  ];
}

export async function benchRender(dialect: Dialect, tables: number): Promise<Figure> {
  const upgradeOps = createTableOps(syntheticSchema(dialect, tables));
  const downgradeOps = reverseOps(upgradeOps);
  const run = await timedRuns(3, () =>
    renderRevision({
      revision: "0123456789ab",
      downRevision: null,
      message: `create ${tables} tables`,
      createdAt: new Date("2026-01-01T00:00:00Z"),
      upgradeOps,
      downgradeOps,
    }),
  );
  const text = run.last;
  const kib = (Buffer.byteLength(text) / 1024).toFixed(0);
  return {
    label: `renderRevision ${tables} createTable`,
    ...run,
    detail: `${kib} KB, ${text.split("\n").length} lines`,
  };
}
