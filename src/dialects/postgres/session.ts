/**
 * Revisions name tables without a schema, so a configured schema takes effect through
 * search_path. `public` stays on the path after it, as TypeORM leaves it, so functions
 * of extensions installed there (`uuid_generate_v4()`) still resolve.
 *
 * Literals are quoted for standard_conforming_strings = on (a backslash is literal), so an
 * offline script sets it first: a database or role left at the legacy `off` would read a
 * literal ending in a backslash as escaping its closing quote, and the rest as SQL.
 * (Every connection sets it too, in connection.ts.)
 */
import type { SessionSql } from "../dialect.js";
import { quoteIdent, quoteLiteral } from "./quote.js";

export const STANDARD_STRINGS = "SET standard_conforming_strings = on";

export const session: SessionSql = {
  statements: (schema) => [
    STANDARD_STRINGS,
    ...(schema && schema !== "public" ? [`SET search_path TO ${quoteIdent(schema)}, public`] : []),
  ],
  schemaExists: (schema) => `SELECT 1 AS present FROM pg_catalog.pg_namespace WHERE nspname = ${quoteLiteral(schema)}`,
};
