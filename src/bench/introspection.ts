/**
 * Section 1: introspecting 5, 50, 200 and 500 synthetic tables on a real database. The
 * database grows between sizes (each step creates the tables it lacks), so one database
 * per dialect serves every size. The catalog query count per introspection is the
 * figure that must stay flat: the introspector may never issue one query per table.
 */
import type { DbConnection, Dialect } from "../dialects/dialect.js";
import { isDeepStrictEqual } from "node:util";
import { emptyState, runOps } from "./databases.js";
import { ms, timed, timedRuns } from "./measure.js";
import { createTableOps, syntheticSchema } from "./synthetic-schema.js";

export const INTROSPECTION_SIZES = [5, 50, 200, 500] as const;
const RUNS = 5;

export interface IntrospectionRow {
  tables: number;
  /** Setup, not a figure of the introspector: creating the tables this size adds (DDL + state tracking). */
  createMs: number;
  added: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  queries: number;
  /** The introspected IR deep-equals the IR the tables were created from. */
  matchesIr: boolean;
}

export async function benchIntrospection(dialect: Dialect, conn: DbConnection): Promise<IntrospectionRow[]> {
  const rows: IntrospectionRow[] = [];
  let state = emptyState(dialect);
  let created = 0;
  for (const size of INTROSPECTION_SIZES) {
    const missing = createTableOps(syntheticSchema(dialect, size, created));
    const creation = await timed(() => runOps(conn, dialect, state, missing));
    state = creation.result;
    created = size;
    // One unmeasured run, so the first size does not pay for JIT warm-up.
    await dialect.introspect(conn, { versionTable: "autogen_version" });

    const queryCounts: number[] = [];
    const run = await timedRuns(RUNS, async () => {
      const before = conn.queryCount;
      const ir = await dialect.introspect(conn, { versionTable: "autogen_version" });
      queryCounts.push(conn.queryCount - before);
      return ir;
    });
    const expected = syntheticSchema(dialect, size);
    rows.push({
      tables: size,
      createMs: creation.ms,
      added: missing.length,
      medianMs: run.medianMs,
      minMs: run.minMs,
      maxMs: run.maxMs,
      // Every run of one size must issue the same number of queries; report the largest.
      queries: Math.max(...queryCounts),
      matchesIr: isDeepStrictEqual(run.last, expected),
    });
  }
  return rows;
}

export function introspectionTableRows(rows: readonly IntrospectionRow[]): string[][] {
  const flat = new Set(rows.map((r) => r.queries)).size === 1;
  return rows.map((r) => [
    String(r.tables),
    ms(r.medianMs),
    `${ms(r.minMs)}..${ms(r.maxMs)}`,
    `${(r.medianMs / r.tables).toFixed(2)} ms`,
    String(r.queries),
    flat ? "flat" : "NOT FLAT",
    r.matchesIr ? "yes" : "NO",
    `+${r.added} in ${ms(r.createMs)}`,
  ]);
}

export const INTROSPECTION_HEADERS = [
  "tables",
  "introspect (median)",
  "min..max",
  "per table",
  "catalog queries",
  "query count",
  "IR == created",
  "setup: create tables",
];
