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
import { renderByKind, type OpMap } from "../by-kind.js";
import type { CheckIR, ColumnIR, ForeignKeyIR, IndexIR, SchemaIR, TableIR, UniqueIR } from "../../schema/ir.js";
import { findTable } from "../../schema/ir.js";
import { charsetOf, plainName } from "./names.js";
import { normalizeColumn } from "./normalize.js";
import { quoteIdent, quoteLiteral } from "./quote.js";
import { GENERIC_SERVER, type ServerTraits } from "./server.js";
import { renderType } from "./types.js";
import { createView, dropView } from "./views.js";

/** What TypeORM writes for an entity that names no engine (and what the IR leaves out). */
const DEFAULT_ENGINE = "InnoDB";

const columnList = (names: readonly string[]): string => names.map(quoteIdent).join(", ");

export function columnDefinition(raw: ColumnIR, server: ServerTraits = GENERIC_SERVER): string {
  // A server of unknown kind gets the type the revision names (`uuid` where it was made on MariaDB).
  const column = normalizeColumn(raw, server.nativeUuid === undefined ? { ...server, nativeUuid: true } : server);
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
  let options = ` ENGINE=${plainName("engine", table.name, table.engine ?? DEFAULT_ENGINE)}`;
  if (table.collation) {
    const collation = plainName("collation", table.name, table.collation);
    options += ` DEFAULT CHARACTER SET ${charsetOf(collation, table.name, server.defaultCharset)} COLLATE ${collation}`;
  }
  if (table.comment) options += ` COMMENT=${quoteLiteral(table.comment)}`;
  return [
    `CREATE TABLE ${quoteIdent(table.name)} (${parts.join(", ")})${options}`,
    ...table.indexes.map((i) => createIndexSql(table.name, i)),
  ];
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
  if (op.changes.engine) out.push(`ALTER TABLE ${table} ENGINE=${plainName("engine", op.table, op.changes.engine.to ?? DEFAULT_ENGINE)}`);
  const collation = op.changes.collation;
  if (!collation) return out;
  const own = (findTable(state, op.table)?.columns ?? []).filter((c) => c.collation && c.collation !== collation.to);
  // A separate ALTER: in the same one, CONVERT TO wins over MODIFY COLUMN.
  const keep = own.length > 0 ? [`ALTER TABLE ${table} ${own.map((c) => `MODIFY COLUMN ${columnDefinition(c, server)}`).join(", ")}`] : [];
  if (collation.to !== null) {
    const to = plainName("collation", op.table, collation.to);
    out.push(`ALTER TABLE ${table} CONVERT TO CHARACTER SET ${charsetOf(to, op.table, server.defaultCharset)} COLLATE ${to}`, ...keep);
    return out;
  }
  const statement = `CONCAT(${quoteLiteral(`ALTER TABLE ${table} CONVERT TO CHARACTER SET `)}, @@character_set_database, ' COLLATE ', @@collation_database)`;
  out.push(
    `SET @autogen_convert = ${statement}`,
    "PREPARE autogen_convert FROM @autogen_convert",
    "EXECUTE autogen_convert",
    "DEALLOCATE PREPARE autogen_convert",
    ...keep,
  );
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
 * A statement decided on the server when it runs (and in an offline script alike): built
 * by `choose`, an SQL expression yielding the statement's text, then prepared and run.
 * MySQL 8 has no IF [NOT] EXISTS for indexes in ALTER TABLE; this is how it gets one.
 */
function decidedOnServer(choose: string): string[] {
  return [`SET @autogen_ddl = ${choose}`, "PREPARE autogen_ddl FROM @autogen_ddl", "EXECUTE autogen_ddl", "DEALLOCATE PREPARE autogen_ddl"];
}

/** An SQL condition: the table has an index of that name. */
function indexExists(table: string, index: string): string {
  return (
    `EXISTS (SELECT 1 FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() ` +
    `AND TABLE_NAME = ${quoteLiteral(table)} AND INDEX_NAME = ${quoteLiteral(index)})`
  );
}

/**
 * Drops an index (or unique constraint) that a foreign key may still need: the server
 * refuses to drop the last index whose leading columns are the key's ("needed in a
 * foreign key constraint"). The same ALTER adds, for each key no other index serves, the
 * index the server itself makes for a key (named after it, so introspection leaves it
 * out as the key's own) unless the server still has it: IF NOT EXISTS on MariaDB, decided
 * on the server elsewhere (whether the server dropped its own index when a declared one
 * came to serve the key differs between servers).
 */
function dropIndexSql(state: SchemaIR, tableName: string, dropped: string, server: ServerTraits): string[] {
  const table = findTable(state, tableName);
  const drop = `DROP INDEX ${quoteIdent(dropped)}`;
  const alter = `ALTER TABLE ${quoteIdent(tableName)} `;
  const keys = (table?.foreignKeys ?? []).filter((fk) => fk.name && !indexedBy(table!, fk.columns, dropped));
  const add = (fk: ForeignKeyIR) => `ADD INDEX ${quoteIdent(fk.name!)} (${columnList(fk.columns)}), `;
  if (keys.length === 0) return [alter + drop];
  if (server.indexIfExists) return [alter + keys.map((fk) => add(fk).replace("ADD INDEX ", "ADD INDEX IF NOT EXISTS ")).join("") + drop];
  const parts = keys.map((fk) => `IF(${indexExists(tableName, fk.name!)}, '', ${quoteLiteral(add(fk))})`);
  return decidedOnServer(`CONCAT(${quoteLiteral(alter)}, ${parts.join(", ")}, ${quoteLiteral(drop)})`);
}

/**
 * Dropping a foreign key leaves the index the server made for it (when none was
 * declared), which would outlive it: dropped IF EXISTS on MariaDB, decided on the server
 * elsewhere.
 */
function dropForeignKeySql(op: Extract<Op, { kind: "dropForeignKey" }>, state: SchemaIR, server: ServerTraits): string[] {
  const name = needsName("foreign key", op.table, op.foreignKey.name);
  const dropKey = `ALTER TABLE ${quoteIdent(op.table)} DROP FOREIGN KEY ${quoteIdent(name)}`;
  if (findTable(state, op.table)?.indexes.some((i) => i.name === name)) return [dropKey];
  const dropIndex = `ALTER TABLE ${quoteIdent(op.table)} DROP INDEX ${quoteIdent(name)}`;
  if (server.indexIfExists) return [dropKey, dropIndex.replace("DROP INDEX ", "DROP INDEX IF EXISTS ")];
  return [dropKey, ...decidedOnServer(`IF(${indexExists(op.table, name)}, ${quoteLiteral(dropIndex)}, 'DO 0')`)];
}

/** Each kind's statements, against the schema just before the op on a server of `server`'s traits. */
const RENDERERS: OpMap<string[], [state: SchemaIR, server: ServerTraits]> = {
  createTable: (op, _state, server) => createTableSql(op.table, server),
  dropTable: (op) => [`DROP TABLE ${quoteIdent(op.table.name)}`],
  renameTable: (op) => [`RENAME TABLE ${quoteIdent(op.from)} TO ${quoteIdent(op.to)}`],
  addColumn: (op, _state, server) => [`ALTER TABLE ${quoteIdent(op.table)} ADD COLUMN ${columnDefinition(op.column, server)}`],
  dropColumn: (op) => [`ALTER TABLE ${quoteIdent(op.table)} DROP COLUMN ${quoteIdent(op.column.name)}`],
  renameColumn: (op) => [`ALTER TABLE ${quoteIdent(op.table)} RENAME COLUMN ${quoteIdent(op.from)} TO ${quoteIdent(op.to)}`],
  alterTable: (op, state, server) => alterTableSql(op, state, server),
  alterColumn: (op, state, server) => {
    if (!findTable(state, op.table))
      throw new UserError(`Cannot render alterColumn on MySQL: table "${op.table}" does not exist at that point`);
    const after = tableAfterOp(state, op)?.columns.find((c) => c.name === op.column);
    if (!after) throw new UserError(`Cannot render alterColumn on MySQL: column "${op.table}.${op.column}" does not exist at that point`);
    return [`ALTER TABLE ${quoteIdent(op.table)} MODIFY COLUMN ${columnDefinition(after, server)}`];
  },
  createPrimaryKey: (op) => [`ALTER TABLE ${quoteIdent(op.table)} ADD PRIMARY KEY (${columnList(op.primaryKey.columns)})`],
  dropPrimaryKey: (op) => [`ALTER TABLE ${quoteIdent(op.table)} DROP PRIMARY KEY`],
  createIndex: (op) => [createIndexSql(op.table, op.index)],
  dropIndex: (op, state, server) => dropIndexSql(state, op.table, op.index.name, server),
  createForeignKey: (op) => [`ALTER TABLE ${quoteIdent(op.table)} ADD ${foreignKeyClause(op.foreignKey)}`],
  dropForeignKey: (op, state, server) => dropForeignKeySql(op, state, server),
  createUnique: (op) => [`ALTER TABLE ${quoteIdent(op.table)} ADD ${uniqueClause(op.unique)}`],
  dropUnique: (op, state, server) => dropIndexSql(state, op.table, needsName("unique constraint", op.table, op.unique.name), server),
  createCheck: (op) => [`ALTER TABLE ${quoteIdent(op.table)} ADD ${checkClause(op.check)}`],
  dropCheck: (op) => [
    `ALTER TABLE ${quoteIdent(op.table)} DROP CONSTRAINT ${quoteIdent(needsName("check constraint", op.table, op.check.name))}`,
  ],
  // MySQL has no enum types of its own: an enum lives in its columns.
  createEnum: () => [],
  dropEnum: () => [],
  alterEnum: () => [],
  createView: (op) => createView(op.view),
  dropView: (op) => dropView(op.view),
  execute: (op) => (executesOn(op, "mysql") ? [op.sql] : []),
};

const renderWith = renderByKind("MySQL", RENDERERS);

export function renderOp(op: Op, state: SchemaIR, server: ServerTraits = GENERIC_SERVER): string[] {
  return renderWith(op, state, server);
}
