/**
 * The dialect registry: every supported database, registered explicitly here (not by
 * import side effects), looked up by name.
 */
import type { DialectName } from "../schema/ir.js";
import type { Dialect } from "./dialect.js";
import { postgresDialect } from "./postgres/index.js";
import { sqliteDialect } from "./sqlite/index.js";

const DIALECTS: Record<DialectName, Dialect> = {
  postgres: postgresDialect,
  sqlite: sqliteDialect,
};

export function getDialect(name: DialectName): Dialect {
  return DIALECTS[name];
}

export type { Dialect, DbConnection } from "./dialect.js";
