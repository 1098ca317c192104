/**
 * What a command that destroys data must do before it starts: say what it will destroy
 * and get a yes — a confirmation on a terminal, `force` otherwise. No answer (no
 * terminal, Ctrl+D) is a no, and a no changes nothing.
 */
import type { DbConnection } from "../dialects/dialect.js";
import { readDatabaseSchema } from "../autogenerate.js";
import { UserError } from "../errors.js";
import { TYPEORM_METADATA_TABLE } from "../schema/ir.js";
import { recordStep, type Step } from "../runtime/execute.js";
import type { Workspace } from "./workspace.js";

export interface ConfirmOptions {
  /** Confirmed beforehand (`--force`): go ahead without asking. */
  force?: boolean;
  /** Asked when not forced (the CLI asks on a terminal); without it there is nobody to ask. */
  confirm?: (question: string) => Promise<boolean>;
}

/**
 * Asks `question` unless forced; refuses when there is nobody to ask, saying that it
 * would `verb` (e.g. "downgrade to base") and `why` (what would be lost).
 */
export async function requireConfirmation(
  command: string,
  question: string,
  refusal: { verb: string; why: string },
  options: ConfirmOptions,
): Promise<void> {
  if (options.force) return;
  const ok = options.confirm ? await options.confirm(question).catch(() => false) : false;
  if (ok) return;
  throw new UserError(
    options.confirm
      ? `${command}: not confirmed; nothing was dropped`
      : `${command}: refusing to ${refusal.verb} without --force (stdin is not a terminal, nobody to ask): ${refusal.why}; nothing was dropped`,
  );
}

/** Tables among `only` (not the version table, not `excludeTables`) holding at least one row. */
export async function tablesWithRows(ws: Workspace, conn: DbConnection, only: ReadonlySet<string>): Promise<string[]> {
  const schema = await readDatabaseSchema(conn, ws.config, ws.dialect);
  const q = ws.dialect.quoteIdent;
  const out: string[] = [];
  for (const table of schema.tables) {
    // TypeORM's metadata rows record views (and generated columns); the ops dropping those
    // remove their rows, so they are no data of the user's.
    if (!only.has(table.name) || table.name === TYPEORM_METADATA_TABLE) continue;
    const ref = table.schema ? `${q(table.schema)}.${q(table.name)}` : q(table.name);
    if ((await conn.query(`SELECT 1 AS present FROM ${ref} LIMIT 1`)).length > 0) out.push(table.name);
  }
  return out;
}

/** `a, b, c` or `a, b, c and 7 more`. */
export function listNames(names: readonly string[], max = 10): string {
  return names.length <= max ? names.join(", ") : `${names.slice(0, max).join(", ")} and ${names.length - max} more`;
}

/**
 * Tables and enum types some revision creates (or renames something to): what autogen
 * manages. Tables made by raw SQL in a revision are not known here, and neither are
 * the tables of a revision that cannot be recorded offline (one that reads rows).
 */
export async function managedObjects(ws: Workspace, steps: Step[]): Promise<{ tables: Set<string>; enums: Set<string> }> {
  const tables = new Set<string>();
  const enums = new Set<string>();
  for (const step of steps) {
    let ops;
    try {
      ops = await recordStep(step, ws.dialect.name);
    } catch {
      continue;
    }
    for (const op of ops) {
      if (op.kind === "createTable") tables.add(op.table.name);
      else if (op.kind === "renameTable") tables.add(op.to);
      else if (op.kind === "createEnum") enums.add(op.enum.name);
    }
    // Enum types PostgreSQL creates for a column's enum live with the column.
    for (const op of ops) {
      const columns = op.kind === "createTable" ? op.table.columns : op.kind === "addColumn" ? [op.column] : [];
      for (const c of columns) if (c.type === "enum" && c.enumName) enums.add(c.enumName);
    }
  }
  return { tables, enums };
}
