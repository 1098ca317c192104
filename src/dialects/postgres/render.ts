/**
 * Op -> PostgreSQL DDL. Statements follow TypeORM's own DDL where it has an equivalent
 * (one-line CREATE TABLE with named constraints, SERIAL for increment columns,
 * `GENERATED … AS IDENTITY`, enum changes by rename/recreate), so a schema built from
 * a revision is the schema TypeORM itself would build.
 *
 * `state` is the schema just before the op. It supplies what an op does not carry:
 * a table's schema, the name of a constraint given without one, the columns that use
 * an enum being rebuilt, a column's current default around a type change.
 */
import { renderByKind, type OpMap } from "../by-kind.js";
import { UserError } from "../../errors.js";
import { executesOn, type ColumnChanges, type Op } from "../../ops/ops.js";
import type { CheckIR, ColumnIR, ColumnTypeIR, ForeignKeyIR, IndexIR, SchemaIR, TableIR, UniqueIR } from "../../schema/ir.js";
import { findTable, isExpressionTerm } from "../../schema/ir.js";
import { normalizeExpression, typeormDefaultSpelling } from "./catalog/expression.js";
import { defaultConstraintName, serialSequenceName, truncateIdentifier } from "./catalog/names.js";
import { expression, qualified, quoteIdent, quoteLiteral } from "./quote.js";
import { withoutNul } from "./normalize.js";
import { renderType, renderUnboundedType } from "./types.js";
import { createExtension, createView, dropExtension, dropView, exclusionClause } from "./views.js";
import { plainBackfill, renderOnlineOp } from "./online/render.js";

const SERIAL_KEYWORDS: Record<string, string> = {
  integer: "SERIAL",
  smallint: "SMALLSERIAL",
  bigint: "BIGSERIAL",
};

/** Each kind's statements; `r` reads the schema just before the op, `later` the ops after it. */
const RENDERERS: OpMap<string[], [r: Renderer, later: readonly Op[]]> = {
  createTable: (op, r) => r.createTable(op.table),
  dropTable: (op, r) => [`DROP TABLE ${r.tableRef(op.table.name, op.table.schema)}`],
  renameTable: (op, r) => r.renameTable(op.from, op.to),
  addColumn: (op, r) => r.addColumn(op.table, op.column),
  dropColumn: (op, r) => [`ALTER TABLE ${r.tableRef(op.table)} DROP COLUMN ${quoteIdent(op.column.name)}`],
  renameColumn: (op, r) => r.renameColumn(op.table, op.from, op.to),
  alterColumn: (op, r) => r.alterColumn(op.table, op.column, op.changes),
  createPrimaryKey: (op, r) => [
    `ALTER TABLE ${r.tableRef(op.table)} ADD ${constraintPrefix(op.primaryKey.name)}PRIMARY KEY (${columnList(op.primaryKey.columns)})`,
  ],
  dropPrimaryKey: (op, r) => [
    `ALTER TABLE ${r.tableRef(op.table)} DROP CONSTRAINT ${quoteIdent(r.primaryKeyName(op.table, op.primaryKey.name))}`,
  ],
  createIndex: (op, r) => [r.createIndex(op.table, op.index, undefined, op.concurrently === true)],
  dropIndex: (op, r) => [`DROP INDEX ${op.concurrently ? "CONCURRENTLY " : ""}${qualified(op.index.name, r.table(op.table)?.schema)}`],
  createForeignKey: (op, r) => [`ALTER TABLE ${r.tableRef(op.table)} ADD ${r.foreignKeyClause(op.foreignKey, r.table(op.table)?.schema)}`],
  dropForeignKey: (op, r) => [r.dropConstraint(op.table, r.foreignKeyName(op.table, op.foreignKey), "foreign key")],
  createUnique: (op, r) => [`ALTER TABLE ${r.tableRef(op.table)} ADD ${uniqueClause(op.unique)}`],
  dropUnique: (op, r) => [r.dropConstraint(op.table, r.uniqueName(op.table, op.unique), "unique constraint")],
  createCheck: (op, r) => [`ALTER TABLE ${r.tableRef(op.table)} ADD ${checkClause(op.check, op.table)}`],
  dropCheck: (op, r) => [r.dropConstraint(op.table, r.checkName(op.table, op.check), "check constraint")],
  createEnum: (op) => [`CREATE TYPE ${qualified(op.enum.name, op.enum.schema)} AS ENUM (${op.enum.values.map(quoteLiteral).join(", ")})`],
  dropEnum: (op) => [`DROP TYPE ${qualified(op.enum.name, op.enum.schema)}`],
  alterEnum: (op, r, later) => r.changeEnum(op.name, op.values.from, op.values.to, op.renames ?? {}, later),
  createExclusion: (op, r) => [`ALTER TABLE ${r.tableRef(op.table)} ADD ${exclusionClause(op.exclusion)}`],
  dropExclusion: (op, r) => [r.dropConstraint(op.table, op.exclusion.name, "exclusion constraint")],
  createExtension: (op) => createExtension(op.extension.name),
  dropExtension: (op) => dropExtension(op.extension.name),
  createView: (op) => createView(op.view),
  dropView: (op) => dropView(op.view),
  execute: (op) => (executesOn(op, "postgres") ? [op.sql] : []),
  // The online kinds (./online/kinds.ts).
  createForeignKeyNotValid: (op, r) => [
    `ALTER TABLE ${r.tableRef(op.table)} ADD ${r.foreignKeyClause(op.foreignKey, r.table(op.table)?.schema)} NOT VALID`,
  ],
  createCheckNotValid: (op, r) => [`ALTER TABLE ${r.tableRef(op.table)} ADD ${checkClause(op.check, op.table)} NOT VALID`],
  backfill: (op, r) => plainBackfill(op, r.state),
  validateConstraint: (op, r) => renderOnlineOp(op, r.state),
  createSyncTrigger: (op, r) => renderOnlineOp(op, r.state),
  dropSyncTrigger: (op, r) => renderOnlineOp(op, r.state),
  swapColumn: (op, r) => renderOnlineOp(op, r.state),
};

const renderWith = renderByKind("PostgreSQL", RENDERERS);

/** `later`: the ops of the same batch rendered after this one (an enum value added in place cannot be used by them). */
export function renderOp(op: Op, state: SchemaIR, later: readonly Op[] = []): string[] {
  return renderWith(op, new Renderer(state), later);
}

/** A comment as a literal (NULL when empty); NUL, which PostgreSQL text cannot hold, is dropped as TypeORM drops it. */
function commentLiteral(comment: string | null | undefined): string {
  const text = withoutNul(comment ?? undefined);
  return text ? quoteLiteral(text) : "NULL";
}

function constraintPrefix(name: string | undefined): string {
  return name ? `CONSTRAINT ${quoteIdent(name)} ` : "";
}

function columnList(columns: string[]): string {
  return columns.map(quoteIdent).join(", ");
}

function uniqueClause(unique: UniqueIR): string {
  return `${constraintPrefix(unique.name)}UNIQUE (${columnList(unique.columns)})`;
}

function checkClause(check: CheckIR, table: string): string {
  return `${constraintPrefix(check.name)}CHECK (${expression(check.expression, `check ${check.name ?? ""} on ${table}`.replace("  ", " "))})`;
}

class Renderer {
  constructor(readonly state: SchemaIR) {}

  table(name: string): TableIR | undefined {
    return findTable(this.state, name);
  }

  tableRef(name: string, schema?: string): string {
    return qualified(name, schema ?? this.table(name)?.schema);
  }

  private column(table: string, name: string): ColumnIR | undefined {
    return this.table(table)?.columns.find((c) => c.name === name);
  }

  private enumRef(name: string | undefined, table: string, column: string): string {
    const enumName = name ?? `${table}_${column.toLowerCase()}_enum`;
    const known = this.state.enums.find((e) => e.name === enumName);
    return qualified(enumName, known?.schema);
  }

  private typeSql(type: ColumnTypeIR, table: string, column: string): string {
    return renderType(type, type.type === "enum" ? this.enumRef(type.enumName, table, column) : undefined);
  }

  /** `"name" type [GENERATED …] [COLLATE …] [NOT NULL] [DEFAULT …]`, as TypeORM writes it. */
  columnDefinition(column: ColumnIR, table: string): string {
    let sql = quoteIdent(column.name);
    if (column.generated === "increment") {
      const serial = column.array ? undefined : SERIAL_KEYWORDS[column.type];
      if (!serial) {
        throw new UserError(
          `${table}.${column.name}: an increment (serial) column must be smallint, integer or bigint, not ${column.type}`,
        );
      }
      sql += ` ${serial}`;
    } else {
      sql += ` ${this.typeSql(column, table, column.name)}`;
      if (column.generated === "identity") sql += ` GENERATED ${column.identity ?? "BY DEFAULT"} AS IDENTITY`;
      else if (column.computed)
        sql += ` GENERATED ALWAYS AS (${expression(column.computed.expression, `generated column ${table}.${column.name}`)}) STORED`;
    }
    if (column.collation) sql += ` COLLATE ${quoteIdent(column.collation)}`;
    if (!column.nullable) sql += " NOT NULL";
    if (column.default !== undefined && column.generated === undefined && !column.computed)
      sql += ` DEFAULT ${expression(typeormDefaultSpelling(column.default), `default of ${table}.${column.name}`)}`;
    return sql;
  }

  private columnComment(tableRef: string, column: string, comment: string | null | undefined): string {
    return `COMMENT ON COLUMN ${tableRef}.${quoteIdent(column)} IS ${commentLiteral(comment)}`;
  }

  createTable(table: TableIR): string[] {
    const ref = qualified(table.name, table.schema);
    const parts = table.columns.map((c) => this.columnDefinition(c, table.name));
    const extensions = extensionsFor(table.columns.map((c) => c.default));
    for (const u of table.uniques) parts.push(uniqueClause(u));
    for (const x of table.exclusions ?? []) parts.push(exclusionClause(x));
    for (const c of table.checks) parts.push(checkClause(c, table.name));
    for (const fk of table.foreignKeys) parts.push(this.foreignKeyClause(fk, table.schema));
    if (table.primaryKey) parts.push(`${constraintPrefix(table.primaryKey.name)}PRIMARY KEY (${columnList(table.primaryKey.columns)})`);
    const statements = [...extensions, `CREATE TABLE ${ref} (${parts.join(", ")})`];
    for (const index of table.indexes) statements.push(this.createIndex(table.name, index, table));
    if (table.comment) statements.push(`COMMENT ON TABLE ${ref} IS ${commentLiteral(table.comment)}`);
    for (const c of table.columns) if (c.comment) statements.push(this.columnComment(ref, c.name, c.comment));
    return statements;
  }

  renameTable(from: string, to: string): string[] {
    const table = this.table(from);
    const statements = [`ALTER TABLE ${this.tableRef(from)} RENAME TO ${quoteIdent(to)}`];
    // Keep serial sequences named after their table, as TypeORM does, so a later
    // serial change on the renamed table finds them.
    for (const c of table?.columns ?? []) {
      if (c.generated !== "increment") continue;
      statements.push(
        `ALTER SEQUENCE IF EXISTS ${qualified(serialSequenceName(from, c.name), table?.schema)} RENAME TO ${quoteIdent(serialSequenceName(to, c.name))}`,
      );
    }
    return statements;
  }

  renameColumn(table: string, from: string, to: string): string[] {
    const statements = [`ALTER TABLE ${this.tableRef(table)} RENAME COLUMN ${quoteIdent(from)} TO ${quoteIdent(to)}`];
    if (this.column(table, from)?.generated === "increment") {
      statements.push(
        `ALTER SEQUENCE IF EXISTS ${qualified(serialSequenceName(table, from), this.table(table)?.schema)} RENAME TO ${quoteIdent(serialSequenceName(table, to))}`,
      );
    }
    return statements;
  }

  addColumn(table: string, column: ColumnIR): string[] {
    const ref = this.tableRef(table);
    const statements = [...extensionsFor([column.default]), `ALTER TABLE ${ref} ADD ${this.columnDefinition(column, table)}`];
    if (column.comment) statements.push(this.columnComment(ref, column.name, column.comment));
    return statements;
  }

  alterColumn(table: string, name: string, changes: ColumnChanges): string[] {
    const ref = this.tableRef(table);
    const col = quoteIdent(name);
    const alter = (what: string) => `ALTER TABLE ${ref} ALTER COLUMN ${col} ${what}`;
    const current = this.column(table, name);
    const schema = this.table(table)?.schema;
    const sequence = qualified(serialSequenceName(table, name), schema);
    const out: string[] = [];

    const fromGenerated = changes.generated ? changes.generated.from : current?.generated;
    const toGenerated = changes.generated ? changes.generated.to : current?.generated;
    const generationChanges = (fromGenerated ?? null) !== (toGenerated ?? null);
    const finalType: ColumnTypeIR | undefined = changes.type?.to ?? current;

    // 1. the old generation goes first: a type change or a new default must not fight it
    if (generationChanges && fromGenerated === "identity") out.push(alter("DROP IDENTITY IF EXISTS"));
    if (generationChanges && fromGenerated === "increment") {
      out.push(alter("DROP DEFAULT"), `DROP SEQUENCE IF EXISTS ${sequence}`);
    }

    // 2. type: a default cast to the old type can block the conversion, so it is
    //    taken off and put back (or replaced by the new default) afterwards
    let defaultDone = false;
    if (changes.type) {
      const oldDefault = changes.default ? changes.default.from : (current?.default ?? null);
      const newDefault = changes.default ? changes.default.to : (current?.default ?? null);
      const typeSql = this.typeSql(changes.type.to, table, name);
      if (oldDefault !== null && oldDefault !== undefined) out.push(alter("DROP DEFAULT"));
      out.push(alter(`TYPE ${typeSql} USING ${col}::${this.usingCast(changes.type.from, changes.type.to, typeSql)}`));
      if (toGenerated === "increment" && !generationChanges && SERIAL_KEYWORDS[changes.type.to.type]) {
        out.push(`ALTER SEQUENCE IF EXISTS ${sequence} AS ${changes.type.to.type}`);
      }
      if (newDefault !== null && newDefault !== undefined)
        out.push(alter(`SET DEFAULT ${expression(typeormDefaultSpelling(newDefault), `default of ${table}.${name}`)}`));
      defaultDone = true;
    }

    if (changes.nullable && changes.nullable.from !== changes.nullable.to) {
      out.push(alter(changes.nullable.to ? "DROP NOT NULL" : "SET NOT NULL"));
    }
    if (changes.default && changes.default.from !== changes.default.to) out.unshift(...extensionsFor([changes.default.to]));
    if (changes.default && !defaultDone && changes.default.from !== changes.default.to) {
      out.push(
        alter(
          changes.default.to === null
            ? "DROP DEFAULT"
            : `SET DEFAULT ${expression(typeormDefaultSpelling(changes.default.to), `default of ${table}.${name}`)}`,
        ),
      );
    }

    // 3. the new generation; existing rows keep their values and the sequence starts after them
    const identityKind = (changes.identity ? changes.identity.to : current?.identity) ?? "BY DEFAULT";
    const restartAfterExistingRows = `SELECT setval(pg_get_serial_sequence(${quoteLiteral(ref)}, ${quoteLiteral(name)}), COALESCE(MAX(${col}), 0) + 1, false) FROM ${ref}`;
    if (generationChanges && toGenerated === "identity") {
      out.push(alter(`ADD GENERATED ${identityKind} AS IDENTITY`), restartAfterExistingRows);
    } else if (!generationChanges && toGenerated === "identity" && changes.identity && changes.identity.from !== changes.identity.to) {
      out.push(alter(`SET GENERATED ${identityKind}`));
    }
    if (generationChanges && toGenerated === "increment") {
      const seqType = finalType && SERIAL_KEYWORDS[finalType.type] ? ` AS ${finalType.type}` : "";
      out.push(
        `CREATE SEQUENCE IF NOT EXISTS ${sequence}${seqType} OWNED BY ${ref}.${col}`,
        alter(`SET DEFAULT nextval(${quoteLiteral(sequence)})`),
        restartAfterExistingRows,
      );
    }

    if (changes.comment && changes.comment.from !== changes.comment.to) {
      out.push(this.columnComment(ref, name, changes.comment.to));
    }
    if (changes.collation && changes.collation.from !== changes.collation.to) {
      if (!finalType) throw new UserError(`cannot change the collation of ${table}.${name}: its type is unknown`);
      const collation = changes.collation.to ? quoteIdent(changes.collation.to) : `pg_catalog."default"`;
      out.push(alter(`TYPE ${this.typeSql(finalType, table, name)} COLLATE ${collation}`));
    }
    return out;
  }

  /**
   * The target of `USING col::…`: enums go through text, which every type converts to.
   * An explicit cast to varchar(n), char(n) or bit(n) cuts longer values silently, while
   * the assignment ALTER … TYPE makes from the USING result refuses them; so where the new
   * length could cut a value, the cast goes to the unbounded type and the assignment checks.
   */
  private usingCast(from: ColumnTypeIR, to: ColumnTypeIR, typeSql: string): string {
    if (to.type === "enum") return to.array ? `text[]::${typeSql}` : `text::${typeSql}`;
    const unbounded = renderUnboundedType(to);
    return unbounded !== undefined && !onlyLengthens(from, to) ? unbounded : typeSql;
  }

  primaryKeyName(table: string, name: string | undefined): string {
    return name ?? this.table(table)?.primaryKey?.name ?? truncateIdentifier(defaultConstraintName(table, [], "pkey"));
  }

  createIndex(table: string, index: IndexIR, tableDef?: TableIR, concurrently = false): string {
    const columns = (tableDef ?? this.table(table))?.columns.map((c) => c.name) ?? [];
    const keys = index.columns
      .map((c) => (columns.includes(c) || !isExpressionTerm(c) ? quoteIdent(c) : `(${expression(c, `term of index ${index.name}`)})`))
      .join(", ");
    const using = index.method ? ` USING ${index.method}` : "";
    const where = index.where ? ` WHERE ${expression(index.where, `WHERE of index ${index.name}`)}` : "";
    const ref = qualified(table, tableDef?.schema ?? this.table(table)?.schema);
    return `CREATE ${index.unique ? "UNIQUE " : ""}INDEX ${concurrently ? "CONCURRENTLY " : ""}${quoteIdent(index.name)} ON ${ref}${using} (${keys})${where}`;
  }

  foreignKeyClause(fk: ForeignKeyIR, tableSchema: string | undefined): string {
    const refTable = qualified(fk.referencedTable, fk.referencedSchema ?? tableSchema ?? this.table(fk.referencedTable)?.schema);
    let sql = `${constraintPrefix(fk.name)}FOREIGN KEY (${columnList(fk.columns)}) REFERENCES ${refTable}(${columnList(fk.referencedColumns)})`;
    sql += ` ON DELETE ${fk.onDelete} ON UPDATE ${fk.onUpdate}`;
    if (fk.deferrable) sql += ` DEFERRABLE ${fk.deferrable}`;
    return sql;
  }

  dropConstraint(table: string, name: string | undefined, what: string): string {
    if (!name) throw new UserError(`cannot drop an unnamed ${what} on table ${table}: it is not in the schema, so its name is unknown`);
    return `ALTER TABLE ${this.tableRef(table)} DROP CONSTRAINT ${quoteIdent(name)}`;
  }

  foreignKeyName(table: string, fk: ForeignKeyIR): string | undefined {
    if (fk.name) return fk.name;
    const same = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
    return this.table(table)?.foreignKeys.find(
      (f) => same(f.columns, fk.columns) && f.referencedTable === fk.referencedTable && same(f.referencedColumns, fk.referencedColumns),
    )?.name;
  }

  uniqueName(table: string, unique: UniqueIR): string | undefined {
    if (unique.name) return unique.name;
    const key = unique.columns.join("\u0000");
    return this.table(table)?.uniques.find((u) => u.columns.join("\u0000") === key)?.name;
  }

  checkName(table: string, check: CheckIR): string | undefined {
    if (check.name) return check.name;
    const wanted = normalizeExpression(check.expression);
    return this.table(table)?.checks.find((c) => normalizeExpression(c.expression) === wanted)?.name;
  }

  /**
   * A new type beside the old one, every column moved over through text, the old type
   * dropped (what TypeORM does), for additions too: `ALTER TYPE … ADD VALUE` would be
   * cheaper, but a value it adds cannot be used before the transaction commits ("unsafe use
   * of new value"), and the revision's next op may well use it (a default, a data update).
   */
  /**
   * An enum's values change in place where PostgreSQL can do it without touching a table:
   * renames (`RENAME VALUE`), then values added (`ADD VALUE … BEFORE/AFTER`) when every
   * old value stays, in order. A value added in place cannot be used before the
   * transaction commits ("unsafe use of new value"), so when a later op of the batch
   * names an added value, or values are removed or reordered, the type is rebuilt.
   */
  changeEnum(name: string, from: string[], to: string[], renames: Record<string, string>, later: readonly Op[]): string[] {
    const ref = qualified(name, this.state.enums.find((e) => e.name === name)?.schema);
    const out = Object.entries(renames).map(([a, b]) => `ALTER TYPE ${ref} RENAME VALUE ${quoteLiteral(a)} TO ${quoteLiteral(b)}`);
    const current = from.map((v) => renames[v] ?? v);
    const added = addedInPlace(current, to);
    const usedLater = (value: string) => later.some((op) => JSON.stringify(op).includes(JSON.stringify(quoteLiteral(value)).slice(1, -1)));
    if (added && !added.some((a) => usedLater(a.value))) {
      for (const a of added) {
        const where =
          a.before !== undefined ? ` BEFORE ${quoteLiteral(a.before)}` : a.after !== undefined ? ` AFTER ${quoteLiteral(a.after)}` : "";
        out.push(`ALTER TYPE ${ref} ADD VALUE ${quoteLiteral(a.value)}${where}`);
      }
      return out;
    }
    if (out.length > 0 && current.join("\u0000") === to.join("\u0000")) return out;
    return [...out, ...this.alterEnum(name, to)];
  }

  alterEnum(name: string, to: string[]): string[] {
    const known = this.state.enums.find((e) => e.name === name);
    const ref = qualified(name, known?.schema);
    const oldName = truncateIdentifier(`${name.slice(0, 59)}_old`);
    const out = [`ALTER TYPE ${ref} RENAME TO ${quoteIdent(oldName)}`, `CREATE TYPE ${ref} AS ENUM (${to.map(quoteLiteral).join(", ")})`];
    for (const table of this.state.tables) {
      for (const column of table.columns) {
        if (column.type !== "enum" || column.enumName !== name) continue;
        const tableRef = qualified(table.name, table.schema);
        const col = quoteIdent(column.name);
        const alter = (what: string) => `ALTER TABLE ${tableRef} ALTER COLUMN ${col} ${what}`;
        const typeSql = column.array ? `${ref}[]` : ref;
        if (column.default !== undefined) out.push(alter("DROP DEFAULT"));
        out.push(alter(`TYPE ${typeSql} USING ${col}::${column.array ? "text[]" : "text"}::${typeSql}`));
        // A default naming a value that no longer exists cannot be put back.
        if (column.default !== undefined && defaultStillValid(column.default, to, column.array === true)) {
          out.push(alter(`SET DEFAULT ${expression(column.default, `default of ${table.name}.${column.name}`)}`));
        }
      }
    }
    out.push(`DROP TYPE ${qualified(oldName, known?.schema)}`);
    return out;
  }
}

/**
 * TypeORM's default uuid generator, uuid_generate_v4(), lives in the uuid-ossp
 * extension, which TypeORM creates when it connects; a revision must do the same
 * before it can use it.
 */
function extensionsFor(defaults: (string | null | undefined)[]): string[] {
  return defaults.some((d) => d && /\buuid_generate_v\d/i.test(d)) ? [`CREATE EXTENSION IF NOT EXISTS "uuid-ossp"`] : [];
}

/** Same type with a length at least as long: no value can be cut. */
function onlyLengthens(from: ColumnTypeIR, to: ColumnTypeIR): boolean {
  return (
    from.type === to.type &&
    (from.array ?? false) === (to.array ?? false) &&
    from.length !== undefined &&
    to.length !== undefined &&
    to.length >= from.length
  );
}

/** Does a literal default (`'a'`, or `'{a,b}'` for arrays) only name values the enum still has? */
function defaultStillValid(expression: string, values: string[], array: boolean): boolean {
  const literal = /^'((?:[^']|'')*)'/.exec(expression.trim());
  if (!literal) return true;
  const text = literal[1]!.replaceAll("''", "'");
  if (!array) return values.includes(text);
  const body = /^\{(.*)\}$/s.exec(text)?.[1];
  if (body === undefined) return true;
  const elements =
    body === ""
      ? []
      : body.split(",").map((e) =>
          e
            .trim()
            .replace(/^"(.*)"$/s, "$1")
            .replace(/\\(.)/g, "$1"),
        );
  return elements.every((e) => values.includes(e));
}

/**
 * The values `to` adds to `from`, each with its neighbour, when `to` keeps every value of
 * `from` in the same order (so ADD VALUE can build it); undefined otherwise.
 */
function addedInPlace(from: string[], to: string[]): Array<{ value: string; before?: string; after?: string }> | undefined {
  let i = 0;
  for (const v of to) if (i < from.length && v === from[i]) i++;
  if (i !== from.length || new Set(to).size !== to.length) return undefined;
  const out: Array<{ value: string; before?: string; after?: string }> = [];
  const kept = new Set(from);
  // Added in order, each placed before the next kept value (or after the last one), so
  // a run of new values lands where `to` has them.
  for (const [index, value] of to.entries()) {
    if (kept.has(value)) continue;
    const next = to.slice(index + 1).find((v) => kept.has(v));
    const previous = [...to.slice(0, index)].reverse().find((v) => kept.has(v) || out.some((o) => o.value === v));
    if (next !== undefined) out.push({ value, before: next });
    else if (previous !== undefined) out.push({ value, after: previous });
    else out.push({ value });
  }
  return out;
}
