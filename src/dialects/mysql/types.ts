/**
 * MySQL/MariaDB column types: the canonical vocabulary, the synonyms mapped onto it, the
 * sizes that are the type's own default (and so are dropped), and the SQL spelling.
 *
 * Canonical `type` is the base name as information_schema.COLUMNS.COLUMN_TYPE spells
 * it, lower case, followed by its attributes: `int`, `int unsigned`,
 * `int unsigned zerofill`, `decimal unsigned`, `varchar`, `datetime`, `enum`, `set`,
 * `json`. Integer display widths (`int(11)`, MariaDB's `tinyint(4)`) are presentation
 * only and are dropped, so `tinyint(1)` — what `boolean` is stored as — is `tinyint`,
 * which is what TypeORM's `boolean` maps to. `zerofill` implies `unsigned`. `uuid` is
 * MariaDB's own type where the server has it, else varchar (see canonicalType).
 */
import type { ColumnTypeIR } from "../../schema/ir.js";

export const INTEGER_TYPES = new Set(["tinyint", "smallint", "mediumint", "int", "bigint"]);
export const NUMERIC_TYPES = new Set([...INTEGER_TYPES, "decimal", "float", "double", "bit", "year"]);
const TEMPORAL_TYPES = new Set(["datetime", "timestamp", "time"]);
const TEXT_TYPES = new Set(["tinytext", "text", "mediumtext", "longtext", "tinyblob", "blob", "mediumblob", "longblob", "json"]);

/** Synonyms, as MySQL itself resolves them (and TypeORM's `normalizeType`). */
const SYNONYMS: Record<string, string> = {
  integer: "int",
  int4: "int",
  bool: "tinyint",
  boolean: "tinyint",
  dec: "decimal",
  numeric: "decimal",
  fixed: "decimal",
  real: "double",
  "double precision": "double",
  nvarchar: "varchar",
  "national varchar": "varchar",
  "character varying": "varchar",
  nchar: "char",
  "national char": "char",
  character: "char",
  "simple-array": "text",
  "simple-json": "text",
  "simple-enum": "enum",
};

/** Splits `int unsigned zerofill` into its base and attributes. */
export function splitType(type: string): { base: string; unsigned: boolean; zerofill: boolean } {
  const words = type.trim().toLowerCase().replace(/\s+/g, " ");
  const zerofill = / zerofill\b/.test(words);
  const unsigned = zerofill || / unsigned\b/.test(words);
  const base = words.replace(/ (unsigned|signed|zerofill)\b/g, "").trim();
  return { base: SYNONYMS[base] ?? base, unsigned, zerofill };
}

export function joinType(base: string, unsigned: boolean, zerofill: boolean): string {
  if (!NUMERIC_TYPES.has(base) || base === "bit" || base === "year") return base;
  return `${base}${unsigned ? " unsigned" : ""}${zerofill ? " zerofill" : ""}`;
}

/** Parses a `COLUMN_TYPE` such as `decimal(10,2) unsigned` or `enum('a','b')` into IR fields. */
export function parseColumnType(columnType: string): ColumnTypeIR {
  const match = /^([a-z ]+?)\s*(?:\((.*)\))?((?:\s+(?:unsigned|signed|zerofill))*)\s*$/is.exec(columnType.trim());
  if (!match) return { type: columnType.trim().toLowerCase() };
  const { base, unsigned, zerofill } = splitType(`${match[1]}${match[3] ?? ""}`);
  const out: ColumnTypeIR = { type: joinType(base, unsigned, zerofill) };
  const args = match[2];
  if (args === undefined) return out;
  if (base === "enum" || base === "set") {
    out.enumValues = parseValueList(args);
    return out;
  }
  const [first, second] = args.split(",").map((n) => Number(n.trim()));
  if (first === undefined || !Number.isFinite(first)) return out;
  if (base === "decimal" || base === "float" || base === "double" || TEMPORAL_TYPES.has(base)) {
    out.precision = first;
    if (second !== undefined && Number.isFinite(second)) out.scale = second;
  } else {
    out.length = first;
  }
  return out;
}

/** `'a','it''s'` -> ["a", "it's"], as COLUMN_TYPE lists enum and set members. */
export function parseValueList(list: string): string[] {
  const values: string[] = [];
  const re = /'((?:[^'\\]|''|\\.)*)'/g;
  for (let m = re.exec(list); m; m = re.exec(list)) {
    values.push(m[1]!.replaceAll("''", "'").replace(/\\(.)/g, "$1"));
  }
  return values;
}

/**
 * Canonical IR type fields: synonyms resolved, the sizes that are the type's default
 * dropped (display widths, `char(1)`, `decimal(10,0)`, `float`'s and `double`'s
 * implied precision, a temporal precision of 0, `bit(1)`, `year(4)`).
 */
export function canonicalType(column: ColumnTypeIR, nativeUuid = false): ColumnTypeIR {
  const { base, unsigned, zerofill } = splitType(column.type);
  const { length, precision, scale } = column;
  // TypeORM's `uuid`: the server's own type where it has one (MariaDB 10.7+), else the
  // varchar TypeORM writes (36 for a generated key, 255 for a plain column: the models' length).
  if (base === "uuid") return nativeUuid ? { type: "uuid" } : { type: "varchar", length: length ?? 36 };
  const out: ColumnTypeIR = { type: joinType(base, unsigned, zerofill) };
  if (base === "enum" || base === "set") {
    out.enumValues = [...(column.enumValues ?? [])];
    return out;
  }
  if (INTEGER_TYPES.has(base) || TEXT_TYPES.has(base) || base === "year" || base === "date") return out;
  if (base === "decimal") {
    const p = precision ?? 10;
    const s = scale ?? 0;
    if (p !== 10 || s !== 0) {
      out.precision = p;
      if (s !== 0) out.scale = s;
    }
    return out;
  }
  if (base === "float" || base === "double") {
    if (precision !== undefined && scale !== undefined) {
      out.precision = precision;
      out.scale = scale;
    }
    return out;
  }
  if (TEMPORAL_TYPES.has(base)) {
    if (precision) out.precision = precision;
    return out;
  }
  if ((base === "char" || base === "binary" || base === "bit") && (length ?? 1) === 1) return out;
  if (length !== undefined) out.length = length;
  else if (precision !== undefined && base !== "bit") out.length = precision;
  return out;
}

/** The SQL spelling of a canonical type: `decimal(10,2) unsigned`, `enum('a','b')`. */
export function renderType(column: ColumnTypeIR, quoteLiteral: (value: string) => string): string {
  const { base, unsigned, zerofill } = splitType(column.type);
  let sql = base;
  if (base === "enum" || base === "set") sql += `(${(column.enumValues ?? []).map(quoteLiteral).join(",")})`;
  else if (column.length !== undefined) sql += `(${column.length})`;
  else if (column.precision !== undefined)
    sql += column.scale !== undefined ? `(${column.precision},${column.scale})` : `(${column.precision})`;
  else if (base === "varchar" || base === "varbinary") sql += "(255)";
  if (unsigned && NUMERIC_TYPES.has(base)) sql += " unsigned";
  if (zerofill && NUMERIC_TYPES.has(base)) sql += " zerofill";
  return sql;
}
