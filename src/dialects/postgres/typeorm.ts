/**
 * TypeORM metadata -> IR on PostgreSQL, following exactly what the driver's query runner
 * writes: `PostgresQueryRunner.buildCreateColumnSql` + `PostgresDriver.createFullType`.
 * The vocabulary is TypeORM's own (`driver.normalizeType`, `driver.normalizeDefault`);
 * `normalizeSchema()` canonicalises it. Where the runner ignores a setting (length on an
 * enum, precision next to a length), so does this.
 */
import { UserError } from "../../errors.js";
import type { ColumnIR } from "../../schema/ir.js";
import { defaultOf, sizeOf, type ColumnContext, type TypeOrmMapping, type TypeOrmTableColumn } from "../typeorm-mapping.js";
import type { ExclusionIR } from "./ir.js";

/** What of an entity's metadata decides the extensions its driver creates. */
interface ExtensionNeeds {
  columns?: Array<{ type: unknown }>;
  generatedColumns?: Array<{ generationStrategy?: string }>;
  exclusions?: unknown[];
}

/** PostgresDriver.createFullType rewrites these to "TIME(p)" / "TIMESTAMP(p) …" without a scale. */
const TIME_TYPES = new Set(["time without time zone", "time with time zone", "timestamp without time zone", "timestamp with time zone"]);
/** Written as `geometry(<feature>,<srid>)`; length and precision are ignored. */
const SPATIAL_TYPES = new Set(["geometry", "geography"]);
const SERIAL_TYPES = new Set(["integer", "int", "int4", "smallint", "int2", "bigint", "int8"]);

/** The enum type name as `PostgresQueryRunner.buildEnumName` makes it (unescaped, no schema). */
export function enumTypeName(tableName: string, column: Pick<TypeOrmTableColumn, "name" | "enumName">): string {
  return column.enumName ?? `${tableName}_${column.name.toLowerCase()}_enum`;
}

export function columnOf(column: TypeOrmTableColumn, ctx: ColumnContext): ColumnIR {
  const out: ColumnIR = { name: column.name, type: column.type, nullable: column.isNullable === true };
  const isEnum = column.type === "enum" || column.type === "simple-enum";
  const strategy = column.isGenerated ? column.generationStrategy : undefined;

  if (isEnum) {
    out.type = "enum";
    out.enumName = enumTypeName(ctx.tableName, column);
    out.enumValues = [...(column.enum ?? [])];
  } else if (strategy === "identity") {
    // "<type> GENERATED … AS IDENTITY": the bare type, no size.
  } else if (strategy === "increment" || strategy === "rowid") {
    // SERIAL / SMALLSERIAL / BIGSERIAL: the integer type is implied, no size.
  } else if (!SPATIAL_TYPES.has(column.type)) {
    sizeOf(column, out, TIME_TYPES.has(column.type));
  }
  if (column.isArray) out.array = true;

  if (strategy === "identity") {
    out.generated = "identity";
    out.identity = column.generatedIdentity ?? "BY DEFAULT";
  } else if ((strategy === "increment" || strategy === "rowid") && SERIAL_TYPES.has(column.type)) {
    out.generated = "increment";
  }

  if (column.generatedType === "STORED" && column.asExpression) {
    out.computed = { expression: column.asExpression, stored: true };
  }
  if (column.collation) out.collation = column.collation;

  const def = defaultOf(column);
  if (def !== undefined) out.default = def;
  else if (strategy === "uuid" && ctx.uuidGenerator) out.default = ctx.uuidGenerator;

  const comment = commentOf(column.comment);
  if (comment) out.comment = comment;
  return out;
}

/**
 * A comment as `PostgresDriver.escapeComment` writes it: PostgreSQL text cannot hold
 * NUL, so TypeORM removes it; every other character is kept (and quoted as a literal
 * by the renderer).
 */
export function commentOf(comment: string | undefined): string | undefined {
  return comment === undefined ? undefined : comment.replaceAll("\u0000", "");
}

/** Column types whose extension the driver creates when it connects. */
const TYPE_EXTENSIONS: Record<string, string> = {
  citext: "citext",
  hstore: "hstore",
  cube: "cube",
  ltree: "ltree",
  vector: "vector",
  halfvec: "vector",
};

/**
 * The extensions `PostgresDriver.afterConnect` creates (`checkMetadataForExtensions` +
 * `enableExtensions`): the uuid extension for uuid-generated columns (pgcrypto when the
 * generator is gen_random_uuid()), one per extension type used, PostGIS for spatial
 * columns, btree_gist for exclusion constraints.
 */
export function extensionsOf(entities: readonly ExtensionNeeds[], uuidGenerator: string | undefined): string[] {
  const names = new Set<string>();
  for (const entity of entities) {
    if ((entity.generatedColumns ?? []).some((c) => c.generationStrategy === "uuid")) {
      names.add(uuidGenerator === "gen_random_uuid()" ? "pgcrypto" : "uuid-ossp");
    }
    for (const column of entity.columns ?? []) {
      if (typeof column.type !== "string") continue;
      const extension = TYPE_EXTENSIONS[column.type] ?? (SPATIAL_TYPES.has(column.type) ? "postgis" : undefined);
      if (extension) names.add(extension);
    }
    if ((entity.exclusions ?? []).length > 0) names.add("btree_gist");
  }
  return [...names].sort();
}

export const typeormMapping: TypeOrmMapping = {
  metadataTypes: ["postgres"],
  family: new Set(["postgres", "aurora-postgres", "cockroachdb"]),
  metadataOptions: (options) => ({
    ...(options.schema ? { schema: options.schema } : {}),
    ...(options.uuidExtension ? { uuidExtension: options.uuidExtension } : {}),
  }),
  requiredMetadataOptions: {},
  column: columnOf,
  // PostgresQueryRunner.buildIndexTypeClause: spatial means GiST, else the declared type.
  indexMethod: (index) => {
    const method = index.isSpatial ? "gist" : index.type;
    return typeof method === "string" && method.toLowerCase() !== "btree" ? method.toLowerCase() : undefined;
  },
  namedPrimaryKey: true,
  tableComment: (comment) => commentOf(comment) || undefined,
  tableAttributes: (table, tableName) => {
    const exclusions = exclusionsOf(table as { exclusions?: Array<{ name?: string; expression?: string }> }, tableName);
    return exclusions.length > 0 ? { exclusions } : {};
  },
  schemaAttributes: (entities, uuidGenerator) => {
    const names = extensionsOf(entities as readonly ExtensionNeeds[], uuidGenerator);
    return names.length > 0 ? { extensions: names.map((name) => ({ name })) } : {};
  },
};

/** The exclusion constraints `PostgresQueryRunner.createTable` writes (TypeORM's @Exclusion). */
function exclusionsOf(table: { exclusions?: Array<{ name?: string; expression?: string }> }, tableName: string): ExclusionIR[] {
  return (table.exclusions ?? []).map((x) => {
    if (!x.name || typeof x.expression !== "string") {
      throw new UserError(`${tableName}: TypeORM gave an exclusion constraint without a name or expression`);
    }
    return { name: x.name, expression: x.expression };
  });
}
