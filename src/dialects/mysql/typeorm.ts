/**
 * TypeORM metadata -> IR on MySQL/MariaDB, following what `MysqlQueryRunner.buildCreateColumnSql`
 * + `MysqlDriver.createFullType` write: the type with its length or precision,
 * `UNSIGNED`, inline enum values, `AUTO_INCREMENT`, the default with its `ON UPDATE`
 * clause (kept together in the IR, see ./normalize.ts), collation and comment. TypeORM
 * 1.x writes no display width and no ZEROFILL, so neither is read from the metadata.
 * Uniques are unique indexes, as TypeORM writes them; the primary key has no name.
 */
import type { ColumnIR } from "../../schema/ir.js";
import { defaultOf, sizeOf, type ColumnContext, type TypeOrmMapping, type TypeOrmTableColumn } from "../typeorm-mapping.js";
import { plainName } from "./names.js";
import { splitType } from "./types.js";

export function columnOf(column: TypeOrmTableColumn, ctx?: ColumnContext): ColumnIR {
  const base = splitType(column.type).base;
  const out: ColumnIR = {
    name: column.name,
    type: column.unsigned ? `${column.type} unsigned` : column.type,
    nullable: column.isNullable === true,
  };
  if (column.enum && (base === "enum" || base === "set")) out.enumValues = column.enum.map(String);
  else sizeOf(column, out);
  // Offline, TypeORM's driver knows no server and wrote varchar: 36 for a generated key,
  // its varchar default 255 for a plain column. The type stays `uuid` with that length;
  // normalisation makes it the server's own uuid type where it has one (./types.ts).
  if (ctx?.declaredType === "uuid" && base === "varchar") {
    out.type = "uuid";
    out.length ??= 255;
  }
  if (column.isGenerated && column.generationStrategy === "increment") out.generated = "increment";
  if (column.asExpression) {
    out.computed = { expression: column.asExpression, stored: column.generatedType === "STORED" };
  } else {
    const def = defaultOf(column);
    if (column.onUpdate) out.default = `${def ?? "NULL"} ON UPDATE ${column.onUpdate}`;
    else if (def !== undefined) out.default = def;
  }
  if (column.collation) out.collation = column.collation;
  if (column.comment) out.comment = column.comment;
  return out;
}

export const typeormMapping: TypeOrmMapping = {
  // "mysql" also for MariaDB: offline, TypeORM's "mariadb" driver knows no server
  // version and would read `json` as longtext.
  metadataTypes: ["mysql"],
  family: new Set(["mysql", "mariadb", "aurora-mysql"]),
  metadataOptions: () => ({}),
  // TypeORM's MySQL driver refuses to start without one; table names do not use it.
  requiredMetadataOptions: { database: "autogen_models" },
  column: columnOf,
  indexMethod: (index) => (index.isFulltext ? "fulltext" : index.isSpatial ? "spatial" : undefined),
  namedPrimaryKey: false,
  tableComment: (comment) => comment || undefined,
  // createTableSql writes ENGINE=InnoDB where the entity names none; normalisation drops it.
  // Checked here too, so `revision --autogenerate` refuses a bad one before writing a file.
  tableAttributes: (table, tableName) => {
    const engine = (table as { engine?: string }).engine;
    return engine ? { engine: plainName("engine", tableName, engine) } : {};
  },
};
