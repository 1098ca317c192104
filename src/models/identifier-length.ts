/**
 * Names longer than the database keeps (PostgreSQL: 63 bytes, cut silently) are an error
 * at autogenerate, naming the entity and the property: a cut name never matches the
 * models again (every autogenerate would see drift), and two names that agree in their
 * first 63 bytes (a long table name and its enum type) collide at upgrade.
 */
import { UserError } from "../errors.js";
import type { SchemaIR, TableIR } from "../schema/ir.js";

interface NamedMetadata {
  name: string;
  tableName: string;
  columns?: Array<{ databaseName: string; propertyPath?: string; propertyName?: string }>;
}

const bytes = (name: string) => Buffer.byteLength(name, "utf8");

/** Every name of `table` that the database stores, with what it is. */
function namesOf(table: TableIR): Array<{ name: string; what: string; column?: string }> {
  const out: Array<{ name: string; what: string; column?: string }> = [{ name: table.name, what: "table name" }];
  for (const c of table.columns) {
    out.push({ name: c.name, what: "column name", column: c.name });
    if (c.enumName) out.push({ name: c.enumName, what: "enum type name", column: c.name });
  }
  for (const i of table.indexes) out.push({ name: i.name, what: "index name" });
  for (const u of table.uniques) if (u.name) out.push({ name: u.name, what: "unique constraint name" });
  for (const f of table.foreignKeys) if (f.name) out.push({ name: f.name, what: "foreign key name" });
  for (const c of table.checks) if (c.name) out.push({ name: c.name, what: "check constraint name" });
  if (table.primaryKey?.name) out.push({ name: table.primaryKey.name, what: "primary key name" });
  return out;
}

/** Throws a one-line UserError for the first name over `maxBytes`, naming its entity and property. */
export function checkIdentifierLengths(
  schema: SchemaIR,
  metadatas: readonly unknown[],
  maxBytes: number | undefined,
  dialectTitle: string,
): void {
  if (maxBytes === undefined) return;
  const entities = metadatas as NamedMetadata[];
  for (const table of schema.tables) {
    for (const found of namesOf(table)) {
      const size = bytes(found.name);
      if (size <= maxBytes) continue;
      const entity = entities.find((m) => m.tableName === table.name);
      const property = found.column ? entity?.columns?.find((c) => c.databaseName === found.column) : undefined;
      const where = [
        entity ? `entity ${entity.name}` : `table ${table.name}`,
        property ? `property ${property.propertyPath ?? property.propertyName}` : undefined,
      ]
        .filter(Boolean)
        .join(", ");
      const fix =
        found.what === "enum type name"
          ? "give the column a shorter enumName"
          : found.what === "table name"
            ? 'give the entity a shorter table name (@Entity("…"))'
            : found.what === "column name"
              ? 'give the column a shorter name (@Column({ name: "…" }))'
              : "give it a shorter name in the decorator";
      throw new UserError(
        `${where}: ${found.what} "${found.name}" is ${size} bytes; ${dialectTitle} keeps ${maxBytes} and cuts the rest silently, so it would collide or never match the models again; ${fix}`,
      );
    }
  }
}
