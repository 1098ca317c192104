/**
 * Revisions name tables without a schema, so a configured schema takes effect through
 * search_path. `public` stays on the path after it, as TypeORM leaves it, so functions
 * of extensions installed there (`uuid_generate_v4()`) still resolve.
 */
import type { SessionSql } from "../dialect.js";
import { quoteIdent, quoteLiteral } from "./quote.js";

export const session: SessionSql = {
  statements: (schema) => (schema && schema !== "public" ? [`SET search_path TO ${quoteIdent(schema)}, public`] : []),
  schemaExists: (schema) => `SELECT 1 AS present FROM pg_catalog.pg_namespace WHERE nspname = ${quoteLiteral(schema)}`,
};
