/**
 * CREATE TABLE / CREATE INDEX text, written exactly as TypeORM's AbstractSqliteQueryRunner
 * writes it (createTableSql, buildCreateColumnSql, createIndexSql), so that TypeORM's own
 * schema builder, which reads constraint names and enum lists back out of this text with
 * regexes, sees no difference after our migrations ran:
 *
 *   CREATE TABLE "post" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL,
 *     "status" varchar CHECK( "status" IN ('draft','published') ) NOT NULL DEFAULT ('draft'),
 *     "authorId" integer, CONSTRAINT "UQ_…" UNIQUE ("title"), CONSTRAINT "CHK_…" CHECK (…),
 *     CONSTRAINT "FK_…" FOREIGN KEY ("authorId") REFERENCES "user" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)
 */
import { UserError } from "../../../errors.js";
import type { ColumnIR, ForeignKeyIR, IndexIR, TableIR, UniqueIR, CheckIR } from "../../../schema/ir.js";
import { isExpressionTerm } from "../../../schema/ir.js";
import { normalizeColumn, normalizeTable } from "../normalize.js";
import { expression, quoteIdent, quoteLiteral } from "../quote.js";

const columnList = (names: readonly string[]): string => names.map(quoteIdent).join(", ");
const constraintPrefix = (name: string | undefined): string => (name !== undefined ? `CONSTRAINT ${quoteIdent(name)} ` : "");

/** TypeORM's createFullType: `varchar(100)`, `decimal(10,2)`, and plain `varchar` for enums. */
export function fullType(column: ColumnIR): string {
  if (column.enumValues && column.enumValues.length > 0) return "varchar";
  if (column.length !== undefined) return `${column.type}(${column.length})`;
  if (column.precision !== undefined && column.scale !== undefined) return `${column.type}(${column.precision},${column.scale})`;
  if (column.precision !== undefined) return `${column.type}(${column.precision})`;
  return column.type;
}

/**
 * One column's definition. `inlinePrimaryKey`: the column is the table's only key column,
 * which TypeORM declares on the column itself (and which AUTOINCREMENT requires). The
 * column is written in the canonical vocabulary (`int` → `integer`, `true` → `1`, …), as
 * TypeORM would write it, whatever a hand-written revision spelled.
 */
export function columnDefinition(input: ColumnIR, tableName: string, inlinePrimaryKey: boolean): string {
  const column = normalizeColumn(input);
  const name = quoteIdent(column.name);
  const type = fullType(column);
  let sql = type === "" ? name : `${name} ${type}`;
  if (column.enumValues && column.enumValues.length > 0) {
    sql += ` CHECK( ${name} IN (${column.enumValues.map(quoteLiteral).join(",")}) )`;
  }
  if (inlinePrimaryKey) sql += " PRIMARY KEY";
  if (column.generated === "increment") {
    if (!inlinePrimaryKey) {
      throw new UserError(`SQLite can only AUTOINCREMENT a single-column integer primary key; "${tableName}.${column.name}" is not one`);
    }
    sql += " AUTOINCREMENT";
  }
  if (column.collation !== undefined) sql += ` COLLATE ${column.collation}`;
  if (!column.nullable) sql += " NOT NULL";
  if (column.computed) {
    sql += ` AS (${expression(column.computed.expression, `generated column ${tableName}.${column.name}`)}) ${column.computed.stored ? "STORED" : "VIRTUAL"}`;
  } else if (column.default !== undefined) {
    sql += ` DEFAULT (${expression(column.default, `default of ${tableName}.${column.name}`)})`;
  }
  return sql;
}

function uniqueSql(unique: UniqueIR): string {
  return `${constraintPrefix(unique.name)}UNIQUE (${columnList(unique.columns)})`;
}

function checkSql(check: CheckIR): string {
  return `${constraintPrefix(check.name)}CHECK (${expression(check.expression, `check constraint${check.name ? ` ${check.name}` : ""}`)})`;
}

function foreignKeySql(fk: ForeignKeyIR): string {
  let sql =
    `${constraintPrefix(fk.name)}FOREIGN KEY (${columnList(fk.columns)}) ` +
    `REFERENCES ${quoteIdent(fk.referencedTable)} (${columnList(fk.referencedColumns)}) ` +
    `ON DELETE ${fk.onDelete} ON UPDATE ${fk.onUpdate}`;
  if (fk.deferrable) sql += ` DEFERRABLE ${fk.deferrable}`;
  return sql;
}

/** The single key column TypeORM would declare inline, if the key has exactly one column. */
export function inlinePrimaryKeyColumn(table: TableIR): string | undefined {
  return table.primaryKey?.columns.length === 1 ? table.primaryKey.columns[0] : undefined;
}

/** CREATE TABLE for `table`, optionally under another name (the rebuild's temporary table). */
export function createTableSql(input: TableIR, createAs: string = input.name): string {
  const table = normalizeTable(input);
  const inlineKey = inlinePrimaryKeyColumn(table);
  const parts = table.columns.map((c) => columnDefinition(c, table.name, c.name === inlineKey));
  parts.push(...table.uniques.map(uniqueSql));
  parts.push(...table.checks.map(checkSql));
  parts.push(...table.foreignKeys.map(foreignKeySql));
  if (table.primaryKey && table.primaryKey.columns.length > 1) {
    parts.push(`PRIMARY KEY (${columnList(table.primaryKey.columns)})`);
  }
  return `CREATE TABLE ${quoteIdent(createAs)} (${parts.join(", ")})`;
}

/**
 * An index term: a quoted column name, or an expression's text as the introspector read
 * it (`lower("email")`) when the table has no column by that name.
 */
function indexTerm(term: string, table: TableIR | undefined): string {
  if (table?.columns.some((c) => c.name === term)) return quoteIdent(term);
  return isExpressionTerm(term) ? expression(term, `index term ${term}`) : quoteIdent(term);
}

export function createIndexSql(tableName: string, index: IndexIR, table?: TableIR): string {
  const terms = index.columns.map((c) => indexTerm(c, table)).join(", ");
  const where = index.where !== undefined ? ` WHERE ${expression(index.where, `WHERE of index ${index.name}`)}` : "";
  return `CREATE ${index.unique ? "UNIQUE " : ""}INDEX ${quoteIdent(index.name)} ON ${quoteIdent(tableName)} (${terms})${where}`;
}

export function dropIndexSql(index: IndexIR): string {
  return `DROP INDEX ${quoteIdent(index.name)}`;
}
