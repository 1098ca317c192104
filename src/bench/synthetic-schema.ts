/**
 * Synthetic schemas for the benchmark, built as Schema IR: N tables of 8 columns, each
 * with a primary key, a foreign key (to the previous table, the first to itself, so the
 * tables can be created in order), an index and a unique constraint. Names follow
 * TypeORM's prefixes so the IR looks like what the model reader produces.
 */
import type { Dialect } from "../dialects/dialect.js";
import type { Op } from "../ops/ops.js";
import type { ColumnIR, DialectName, SchemaIR, TableIR } from "../schema/ir.js";

export const tableName = (i: number): string => `bench_${String(i).padStart(4, "0")}`;

/** The eight columns, in each dialect's canonical vocabulary (see the dialects' normalize.ts). */
function columns(dialect: DialectName): ColumnIR[] {
  const pg = dialect === "postgres";
  return [
    { name: "id", type: "integer", nullable: false, generated: "increment" },
    { name: "parent_id", type: "integer", nullable: true },
    { name: "code", type: "varchar", length: 40, nullable: false },
    { name: "title", type: "varchar", length: 200, nullable: false },
    { name: "body", type: "text", nullable: true },
    { name: "amount", type: pg ? "numeric" : "decimal", precision: 10, scale: 2, nullable: false, default: "0" },
    { name: "active", type: "boolean", nullable: false, default: pg ? "true" : "1" },
    {
      name: "created_at",
      type: pg ? "timestamp" : "datetime",
      nullable: false,
      default: pg ? "now()" : "CURRENT_TIMESTAMP",
    },
  ];
}

export function syntheticTable(dialect: DialectName, i: number): TableIR {
  const name = tableName(i);
  return {
    name,
    columns: columns(dialect),
    primaryKey: dialect === "postgres" ? { name: `PK_${name}`, columns: ["id"] } : { columns: ["id"] },
    foreignKeys: [
      {
        name: `FK_${name}_parent`,
        columns: ["parent_id"],
        referencedTable: tableName(i === 0 ? 0 : i - 1),
        referencedColumns: ["id"],
        onDelete: "CASCADE",
        onUpdate: "NO ACTION",
      },
    ],
    uniques: [{ name: `UQ_${name}_code`, columns: ["code"] }],
    indexes: [{ name: `IDX_${name}_title`, columns: ["title"], unique: false }],
    checks: [],
  };
}

/** Tables `from` (inclusive) to `to` (exclusive), normalised by the dialect. */
export function syntheticSchema(dialect: Dialect, count: number, from = 0): SchemaIR {
  const tables: TableIR[] = [];
  for (let i = from; i < count; i++) tables.push(syntheticTable(dialect.name, i));
  return dialect.normalizeSchema({ dialect: dialect.name, tables, enums: [] });
}

/** createTable ops for the tables of a schema, in creation order (each references only earlier tables). */
export function createTableOps(schema: SchemaIR): Op[] {
  return [...schema.tables]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((table) => ({ kind: "createTable", table }));
}

/**
 * The same schema with a `share` of its tables (every `1/share`-th) changed, rotating through the kinds of
 * change autogenerate meets most: a new column, a longer varchar, a dropped column, a
 * nullability change and a replaced index.
 */
export function withChangedTables(dialect: Dialect, schema: SchemaIR, share: number): { schema: SchemaIR; changed: number } {
  const changedSchema = structuredClone(schema);
  const step = Math.max(1, Math.round(1 / share));
  let changed = 0;
  changedSchema.tables.forEach((table, i) => {
    if (i % step !== 0) return;
    switch (changed % 5) {
      case 0:
        table.columns.push({ name: "note", type: "varchar", length: 60, nullable: true });
        break;
      case 1:
        table.columns.find((c) => c.name === "title")!.length = 300;
        break;
      case 2:
        table.columns = table.columns.filter((c) => c.name !== "body");
        break;
      case 3:
        table.columns.find((c) => c.name === "body")!.nullable = false;
        break;
      case 4:
        table.indexes = [{ name: `IDX_${table.name}_code_title`, columns: ["code", "title"], unique: false }];
        break;
    }
    changed += 1;
  });
  return { schema: dialect.normalizeSchema(changedSchema), changed };
}
