/**
 * Op → MySQL/MariaDB statements. A column change is one `MODIFY COLUMN` with the
 * column's whole new definition (MySQL has no ALTER COLUMN … TYPE), which keeps the
 * rows and converts their values as the server does; a rename is `RENAME COLUMN`
 * (MariaDB 10.5+, MySQL 8). Unique constraints are unique indexes, dropped with DROP
 * INDEX. Enum values live on the column, so enum ops write nothing. MySQL DDL commits
 * implicitly: see ../../runtime for how a failure mid-revision is reported.
 */
import { UserError } from "../../errors.js";
import { tableAfterOp } from "../../ops/apply.js";
import { executesOn, type Op } from "../../ops/ops.js";
import { refusePostgresOnly } from "../postgres-only-ops.js";
import type { CheckIR, ColumnIR, ForeignKeyIR, IndexIR, SchemaIR, TableIR, UniqueIR } from "../../schema/ir.js";
import { findTable } from "../../schema/ir.js";
import { charsetOf, normalizeColumn } from "./normalize.js";
import { quoteIdent, quoteLiteral } from "./quote.js";
import { GENERIC_SERVER, type ServerTraits } from "./server.js";
import { renderType } from "./types.js";
import { createView, dropView } from "./views.js";

/** What TypeORM writes for an entity that names no engine (and what the IR leaves out). */
const DEFAULT_ENGINE = "InnoDB";

const columnList = (names: readonly string[]): string => names.map(quoteIdent).join(", ");

export function columnDefinition(raw: ColumnIR, server: ServerTraits = GENERIC_SERVER): string {
  const column = normalizeColumn(raw, server);
  let sql = `${quoteIdent(column.name)} ${renderType(column, quoteLiteral)}`;
  if (column.collation) sql += ` COLLATE ${quoteIdent(column.collation)}`;
  if (column.computed) sql += ` AS (${column.computed.expression}) ${column.computed.stored ? "STORED" : "VIRTUAL"}`;
  else sql += column.nullable ? " NULL" : " NOT NULL";
  if (column.generated) sql += " AUTO_INCREMENT";
  if (column.default !== undefined) sql += ` DEFAULT ${column.default}`;
  if (column.comment) sql += ` COMMENT ${quoteLiteral(column.comment)}`;
  return sql;
}

function uniqueClause(unique: UniqueIR): string {
  return `${unique.name ? `CONSTRAINT ${quoteIdent(unique.name)} ` : ""}UNIQUE (${columnList(unique.columns)})`;
}

function checkClause(check: CheckIR): string {
  return `${check.name ? `CONSTRAINT ${quoteIdent(check.name)} ` : ""}CHECK (${check.expression})`;
}

function foreignKeyClause(fk: ForeignKeyIR): string {
  return (
    `${fk.name ? `CONSTRAINT ${quoteIdent(fk.name)} ` : ""}FOREIGN KEY (${columnList(fk.columns)}) ` +
    `REFERENCES ${quoteIdent(fk.referencedTable)} (${columnList(fk.referencedColumns)}) ON DELETE ${fk.onDelete} ON UPDATE ${fk.onUpdate}`
  );
}

function createIndexSql(table: string, index: IndexIR): string {
  const kind = index.method === "fulltext" ? "FULLTEXT " : index.method === "spatial" ? "SPATIAL " : index.unique ? "UNIQUE " : "";
  return `CREATE ${kind}INDEX ${quoteIdent(index.name)} ON ${quoteIdent(table)} (${columnList(index.columns)})`;
}

function createTableSql(table: TableIR, server: ServerTraits): string[] {
  const parts = table.columns.map((c) => columnDefinition(c, server));
  if (table.primaryKey) parts.push(`PRIMARY KEY (${columnList(table.primaryKey.columns)})`);
  for (const u of table.uniques) parts.push(uniqueClause(u));
  for (const c of table.checks) parts.push(checkClause(c));
  for (const fk of table.foreignKeys) parts.push(foreignKeyClause(fk));
  // ENGINE always, as TypeORM writes it: the server's default_storage_engine may be another.
  let options = ` ENGINE=${table.engine ?? DEFAULT_ENGINE}`;
  if (table.collation) options += ` DEFAULT CHARACTER SET ${charsetOf(table.collation)} COLLATE ${table.collation}`;
  if (table.comment) options += ` COMMENT=${quoteLiteral(table.comment)}`;
  return [`CREATE TABLE ${quoteIdent(table.name)} (${parts.join(", ")})${options}`, ...table.indexes.map((i) => createIndexSql(table.name, i))];
}

/**
 * A table's engine and collation. CONVERT TO converts every text column, including those
 * with a collation of their own; a second ALTER gives those theirs back. Back to the
 * database's default collation, which only the server knows, the statement is built
 * from @@collation_database on the server.
 */
function alterTableSql(op: Extract<Op, { kind: "alterTable" }>, state: SchemaIR, server: ServerTraits): string[] {
  const table = quoteIdent(op.table);
  const out: string[] = [];
  if (op.changes.engine) out.push(`ALTER TABLE ${table} ENGINE=${op.changes.engine.to ?? DEFAULT_ENGINE}`);
  const collation = op.changes.collation;
  if (!collation) return out;
  const own = (findTable(state, op.table)?.columns ?? []).filter((c) => c.collation && c.collation !== collation.to);
  // A separate ALTER: in the same one, CONVERT TO wins over MODIFY COLUMN.
  const keep = own.length > 0 ? [`ALTER TABLE ${table} ${own.map((c) => `MODIFY COLUMN ${columnDefinition(c, server)}`).join(", ")}`] : [];
  if (collation.to !== null) {
    out.push(`ALTER TABLE ${table} CONVERT TO CHARACTER SET ${charsetOf(collation.to)} COLLATE ${collation.to}`, ...keep);
    return out;
  }
  const statement = `CONCAT(${quoteLiteral(`ALTER TABLE ${table} CONVERT TO CHARACTER SET `)}, @@character_set_database, ' COLLATE ', @@collation_database)`;
  out.push(`SET @autogen_convert = ${statement}`, "PREPARE autogen_convert FROM @autogen_convert", "EXECUTE autogen_convert", "DEALLOCATE PREPARE autogen_convert", ...keep);
  return out;
}

function needsName(what: string, table: string, name: string | undefined): string {
  if (!name) throw new UserError(`Cannot drop an unnamed ${what} on ${table}: MySQL drops constraints by name`);
  return name;
}

/** Whether an index, unique or primary key other than `except` leads with `columns`. */
function indexedBy(table: TableIR, columns: readonly string[], except?: string): boolean {
  const keys = [
    ...(table.primaryKey ? [table.primaryKey.columns] : []),
    ...table.uniques.filter((u) => u.name !== except).map((u) => u.columns),
    ...table.indexes.filter((i) => i.name !== except && !i.method).map((i) => i.columns),
  ];
  return keys.some((k) => columns.every((c, i) => k[i] === c));
}

/**
 * A foreign key needs an index whose leading columns are its own; the server refuses to
 * drop the last one ("needed in a foreign key constraint"). Where the index being dropped
 * is that one, the same ALTER adds the index the server itself would have made for the
 * key (named after it, so introspection leaves it out as the key's own). No index of that
 * name can exist then (the server drops its own once another index serves the key), so
 * MySQL 8, which has no ADD INDEX IF NOT EXISTS, gets a plain ADD INDEX.
 */
function keepForeignKeysIndexed(state: SchemaIR, tableName: string, dropped: string, server: ServerTraits): string {
  const table = findTable(state, tableName);
  if (!table) return "";
  const ifNotExists = server.indexIfExists ? "IF NOT EXISTS " : "";
  return table.foreignKeys
    .filter((fk) => fk.name && !indexedBy(table, fk.columns, dropped))
    .map((fk) => `ADD INDEX ${ifNotExists}${quoteIdent(fk.name!)} (${columnList(fk.columns)}), `)
    .join("");
}

/**
 * Dropping a foreign key leaves the index the server made for it (when none was
 * declared), which would outlive it. The server made one exactly when no other index
 * serves the key, so the schema state says whether it is there; MariaDB is also told
 * IF EXISTS, MySQL 8 (which has no DROP INDEX IF EXISTS) only where the state says so.
 */
function dropForeignKeySql(op: Extract<Op, { kind: "dropForeignKey" }>, state: SchemaIR, server: ServerTraits): string[] {
  const name = needsName("foreign key", op.table, op.foreignKey.name);
  const table = findTable(state, op.table);
  const dropKey = `ALTER TABLE ${quoteIdent(op.table)} DROP FOREIGN KEY ${quoteIdent(name)}`;
  if (table?.indexes.some((i) => i.name === name)) return [dropKey];
  if (server.indexIfExists) return [dropKey, `ALTER TABLE ${quoteIdent(op.table)} DROP INDEX IF EXISTS ${quoteIdent(name)}`];
  const ownIndex = !table || !indexedBy(table, op.foreignKey.columns);
  return ownIndex ? [dropKey, `ALTER TABLE ${quoteIdent(op.table)} DROP INDEX ${quoteIdent(name)}`] : [dropKey];
}

export function renderOp(op: Op, state: SchemaIR, server: ServerTraits = GENERIC_SERVER): string[] {
  switch (op.kind) {
    case "createTable":
      return createTableSql(op.table, server);
    case "dropTable":
      return [`DROP TABLE ${quoteIdent(op.table.name)}`];
    case "renameTable":
      return [`RENAME TABLE ${quoteIdent(op.from)} TO ${quoteIdent(op.to)}`];
    case "addColumn":
      return [`ALTER TABLE ${quoteIdent(op.table)} ADD COLUMN ${columnDefinition(op.column, server)}`];
    case "dropColumn":
      return [`ALTER TABLE ${quoteIdent(op.table)} DROP COLUMN ${quoteIdent(op.column.name)}`];
    case "renameColumn":
      return [`ALTER TABLE ${quoteIdent(op.table)} RENAME COLUMN ${quoteIdent(op.from)} TO ${quoteIdent(op.to)}`];
    case "alterTable":
      return alterTableSql(op, state, server);
    case "alterColumn": {
      if (!findTable(state, op.table)) throw new UserError(`Cannot render alterColumn on MySQL: table "${op.table}" does not exist at that point`);
      const after = tableAfterOp(state, op)?.columns.find((c) => c.name === op.column);
      if (!after) throw new UserError(`Cannot render alterColumn on MySQL: column "${op.table}.${op.column}" does not exist at that point`);
      return [`ALTER TABLE ${quoteIdent(op.table)} MODIFY COLUMN ${columnDefinition(after, server)}`];
    }
    case "createPrimaryKey":
      return [`ALTER TABLE ${quoteIdent(op.table)} ADD PRIMARY KEY (${columnList(op.primaryKey.columns)})`];
    case "dropPrimaryKey":
      return [`ALTER TABLE ${quoteIdent(op.table)} DROP PRIMARY KEY`];
    case "createIndex":
      return [createIndexSql(op.table, op.index)];
    case "dropIndex":
      return [`ALTER TABLE ${quoteIdent(op.table)} ${keepForeignKeysIndexed(state, op.table, op.index.name, server)}DROP INDEX ${quoteIdent(op.index.name)}`];
    case "createForeignKey":
      return [`ALTER TABLE ${quoteIdent(op.table)} ADD ${foreignKeyClause(op.foreignKey)}`];
    case "dropForeignKey":
      return dropForeignKeySql(op, state, server);
    case "createUnique":
      return [`ALTER TABLE ${quoteIdent(op.table)} ADD ${uniqueClause(op.unique)}`];
    case "dropUnique":
    {
      const name = needsName("unique constraint", op.table, op.unique.name);
      return [`ALTER TABLE ${quoteIdent(op.table)} ${keepForeignKeysIndexed(state, op.table, name, server)}DROP INDEX ${quoteIdent(name)}`];
    }
    case "createCheck":
      return [`ALTER TABLE ${quoteIdent(op.table)} ADD ${checkClause(op.check)}`];
    case "dropCheck":
      return [`ALTER TABLE ${quoteIdent(op.table)} DROP CONSTRAINT ${quoteIdent(needsName("check constraint", op.table, op.check.name))}`];
    case "createEnum":
    case "dropEnum":
    case "alterEnum":
      return [];
    case "createView":
      return createView(op.view);
    case "dropView":
      return dropView(op.view);
    case "createExtension":
    case "dropExtension":
    case "createExclusion":
    case "dropExclusion":
      return refusePostgresOnly(op, "MySQL");
    case "execute":
      return executesOn(op, "mysql") ? [op.sql] : [];
    default: {
      const unknown: never = op;
      throw new Error(`Unknown op kind: ${JSON.stringify(unknown)}`);
    }
  }
}
