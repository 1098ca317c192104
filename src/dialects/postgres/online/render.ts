/**
 * SQL of the online op kinds (./kinds.ts). The statements of one op run in one
 * transaction (./run.ts); `backfill` is the exception, run batch by batch: its
 * `batchStatement` is what each batch sends, and `backfillScript` the same loop as one
 * `DO` block that commits per batch, for `--sql`.
 */
import { UserError } from "../../../errors.js";
import { dispatchByKind, type ByKind } from "../../by-kind.js";
import { findTable, type SchemaIR, type TableIR } from "../../../schema/ir.js";
import { expression, qualified, quoteIdent, quoteLiteral } from "../quote.js";
import { DEFAULT_BATCH_SIZE, syncTriggerName, type PostgresOnlineOp } from "./kinds.js";

function tableRef(state: SchemaIR, table: string): string {
  return qualified(table, findTable(state, table)?.schema);
}

type RenderedHere = Exclude<PostgresOnlineOp, { kind: "createForeignKeyNotValid" | "createCheckNotValid" }>;

/** Each kind's statements; `ref` is its table as the SQL names it. */
const RENDERERS: ByKind<RenderedHere, string[], [state: SchemaIR, ref: string]> = {
  validateConstraint: (op, _state, ref) => [`ALTER TABLE ${ref} VALIDATE CONSTRAINT ${quoteIdent(op.name)}`],
  createSyncTrigger: (op, state, ref) => {
    const name = syncTriggerName(op.table, op.to);
    const fn = qualified(name, findTable(state, op.table)?.schema);
    // Assignment casts the value to the new column's type, as the backfill's UPDATE does.
    return [
      `CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $autogen$ BEGIN NEW.${quoteIdent(op.to)} := NEW.${quoteIdent(op.from)}; RETURN NEW; END $autogen$`,
      `DROP TRIGGER IF EXISTS ${quoteIdent(name)} ON ${ref}`,
      `CREATE TRIGGER ${quoteIdent(name)} BEFORE INSERT OR UPDATE ON ${ref} FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
    ];
  },
  dropSyncTrigger: (op, state) => dropSyncTrigger(op.table, op.to, state),
  backfill: (op, state) => [backfillScript(op, state)],
  swapColumn: (op, state, ref) => {
    const col = quoteIdent(op.column);
    const out = op.syncTrigger ? dropSyncTrigger(op.table, op.replacement, state) : [];
    out.push(`ALTER TABLE ${ref} DROP COLUMN ${col}`, `ALTER TABLE ${ref} RENAME COLUMN ${quoteIdent(op.replacement)} TO ${col}`);
    const def = op.definition;
    if (def.default !== undefined) {
      out.push(`ALTER TABLE ${ref} ALTER COLUMN ${col} SET DEFAULT ${expression(def.default, `default of ${op.table}.${op.column}`)}`);
    }
    if (!def.nullable) {
      if (!op.notNullCheck) throw new UserError(`swapColumn ${op.table}.${op.column}: a NOT NULL column needs its notNullCheck`);
      // The validated check proves no NULL: SET NOT NULL skips the scan (PostgreSQL 12+).
      out.push(`ALTER TABLE ${ref} ALTER COLUMN ${col} SET NOT NULL`, `ALTER TABLE ${ref} DROP CONSTRAINT ${quoteIdent(op.notNullCheck)}`);
    }
    if (def.comment) out.push(`COMMENT ON COLUMN ${ref}.${col} IS ${quoteLiteral(def.comment)}`);
    return out;
  },
};

const renderHere = dispatchByKind<RenderedHere, string[], [state: SchemaIR, ref: string]>(RENDERERS, (op) => {
  throw new UserError(`PostgreSQL online: no statements for operation kind "${op.kind}"`);
});

/**
 * The statements of the online kinds that are not a constraint added NOT VALID (those
 * are the core constraint's statement with the clause, in ../render.ts). `backfill` here
 * is the batched `DO` block (run outside a transaction block); see `plainBackfill`.
 */
export function renderOnlineOp(op: RenderedHere, state: SchemaIR): string[] {
  return renderHere(op, state, tableRef(state, op.table));
}

function dropSyncTrigger(table: string, to: string, state: SchemaIR): string[] {
  const name = syncTriggerName(table, to);
  return [
    `DROP TRIGGER IF EXISTS ${quoteIdent(name)} ON ${tableRef(state, table)}`,
    `DROP FUNCTION IF EXISTS ${qualified(name, findTable(state, table)?.schema)}()`,
  ];
}

/** The single-column primary key a backfill walks in batches; one line naming the table otherwise. */
export function batchKey(table: TableIR | undefined, name: string): string {
  const key = table?.primaryKey?.columns;
  if (!table) throw new UserError(`backfill: table ${name} is not in the schema`);
  if (!key || key.length !== 1) {
    throw new UserError(`backfill ${name}: batches walk a single-column primary key, and ${name} has ${key ? "a composite one" : "none"}`);
  }
  return key[0]!;
}

function setList(op: Extract<PostgresOnlineOp, { kind: "backfill" }>): string {
  const entries = Object.entries(op.set);
  if (entries.length === 0) throw new UserError(`backfill ${op.table}: nothing to set`);
  return entries.map(([column, value]) => `${quoteIdent(column)} = ${expression(value, `backfill of ${op.table}.${column}`)}`).join(", ");
}

/**
 * One batch: the next `batchSize` keys after `$1` (NULL: from the start) up to `$2` that
 * match `where`, updated; returns the last key and how many rows it updated. Running a
 * batch twice sets the same values again, so a batch replayed after a kill is harmless.
 * `$2` is the largest key when the backfill (or its resumed run) starts: rows inserted
 * later are not chased (an expand/contract's sync trigger already filled them).
 */
export function lastKeyStatement(op: Extract<PostgresOnlineOp, { kind: "backfill" }>, state: SchemaIR): string {
  const key = quoteIdent(batchKey(findTable(state, op.table), op.table));
  return `SELECT max(${key})::text AS last FROM ${tableRef(state, op.table)}`;
}

export function batchStatement(op: Extract<PostgresOnlineOp, { kind: "backfill" }>, state: SchemaIR): string {
  const table = findTable(state, op.table);
  const key = quoteIdent(batchKey(table, op.table));
  const ref = tableRef(state, op.table);
  const where = op.where ? ` AND (${expression(op.where, `where of backfill of ${op.table}`)})` : "";
  const size = op.batchSize ?? DEFAULT_BATCH_SIZE;
  const cast = keyType(table!, batchKey(table, op.table));
  return (
    `WITH batch AS (SELECT ${key} FROM ${ref} WHERE ($1::text IS NULL OR ${key} > $1::text::${cast}) AND ${key} <= $2::text::${cast}${where} ORDER BY ${key} LIMIT ${size}), ` +
    `updated AS (UPDATE ${ref} AS t SET ${setList(op)} FROM batch WHERE t.${key} = batch.${key}) ` +
    `SELECT max(${key})::text AS last, count(*)::int AS rows FROM batch`
  );
}

/** The batches as one `DO` block that commits after each (run it outside a transaction block). */
export function backfillScript(op: Extract<PostgresOnlineOp, { kind: "backfill" }>, state: SchemaIR): string {
  const table = findTable(state, op.table);
  const keyName = batchKey(table, op.table);
  const key = quoteIdent(keyName);
  const ref = tableRef(state, op.table);
  const where = op.where ? ` AND (${expression(op.where, `where of backfill of ${op.table}`)})` : "";
  const size = op.batchSize ?? DEFAULT_BATCH_SIZE;
  const pause = op.pause ? ` PERFORM pg_sleep(${op.pause / 1000});` : "";
  return [
    `DO $autogen$ DECLARE last_key text; batch_last text; upto text; BEGIN`,
    `SELECT max(${key})::text INTO upto FROM ${ref}; LOOP`,
    `  WITH batch AS (SELECT ${key} FROM ${ref} WHERE (last_key IS NULL OR ${key} > last_key::${keyType(table!, keyName)}) AND ${key} <= upto::${keyType(table!, keyName)}${where} ORDER BY ${key} LIMIT ${size}),`,
    `  updated AS (UPDATE ${ref} AS t SET ${setList(op)} FROM batch WHERE t.${key} = batch.${key})`,
    `  SELECT max(${key})::text INTO batch_last FROM batch;`,
    `  EXIT WHEN batch_last IS NULL; last_key := batch_last; COMMIT;${pause}`,
    `END LOOP; END $autogen$`,
  ].join("\n");
}

function keyType(table: TableIR, key: string): string {
  const column = table.columns.find((c) => c.name === key);
  return column?.type ?? "text";
}

/** A backfill in a plain revision: one UPDATE, inside the revision's transaction (batches and resume are an online revision's). */
export function plainBackfill(op: Extract<PostgresOnlineOp, { kind: "backfill" }>, state: SchemaIR): string[] {
  const where = op.where ? ` WHERE ${expression(op.where, `where of backfill of ${op.table}`)}` : "";
  return [`UPDATE ${tableRef(state, op.table)} SET ${setList(op)}${where}`];
}
