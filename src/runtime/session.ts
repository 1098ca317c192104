/**
 * Per-connection setup that makes unqualified names mean the configured schema.
 *
 * Revisions name tables without a schema, and the dialects render them that way (the
 * version table included), so on PostgreSQL the configured `schema` only takes effect
 * through `search_path`. `public` stays on the path after it, as TypeORM leaves it, so
 * functions of extensions installed there (`uuid_generate_v4()`) still resolve; new
 * objects are created in the first schema of the path.
 */
import type { DbConnection, Dialect } from "../dialects/dialect.js";
import { UserError } from "../errors.js";

interface SessionContext {
  dialect: Dialect;
  schema?: string;
}

function managedSchema(ctx: SessionContext): string | undefined {
  if (ctx.dialect.name !== "postgres" || !ctx.schema || ctx.schema === "public") return undefined;
  return ctx.schema;
}

/** What an offline script starts with, and what every connection runs first. */
export function sessionStatements(ctx: SessionContext): string[] {
  const schema = managedSchema(ctx);
  return schema === undefined ? [] : [`SET search_path TO ${ctx.dialect.quoteIdent(schema)}, public`];
}

/** Prepares a fresh connection; a configured schema that does not exist is a user error. */
export async function startSession(conn: DbConnection, ctx: SessionContext): Promise<void> {
  const schema = managedSchema(ctx);
  if (schema === undefined) return;
  const found = await conn.query("SELECT 1 AS present FROM pg_namespace WHERE nspname = $1", [schema]);
  if (found.length === 0) {
    throw new UserError(
      `schema "${schema}" does not exist (config field "schema"); create it first: CREATE SCHEMA ${ctx.dialect.quoteIdent(schema)}`,
    );
  }
  for (const sql of sessionStatements(ctx)) await conn.query(sql);
}
