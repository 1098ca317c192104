/**
 * Per-connection setup that makes unqualified names mean the configured schema; the
 * SQL for it is the dialect's (`dialect.session`).
 */
import type { DbConnection, Dialect } from "../dialects/dialect.js";
import { UserError } from "../errors.js";

interface SessionContext {
  dialect: Dialect;
  schema?: string;
}

/** What an offline script starts with, and what every connection runs first. */
export function sessionStatements(ctx: SessionContext): string[] {
  return ctx.dialect.session.statements(ctx.schema);
}

/** Prepares a fresh connection; a configured schema that does not exist is a user error. */
export async function startSession(conn: DbConnection, ctx: SessionContext): Promise<void> {
  const statements = sessionStatements(ctx);
  if (statements.length === 0 || !ctx.schema) return;
  const probe = ctx.dialect.session.schemaExists(ctx.schema);
  if (probe !== null && (await conn.query(probe)).length === 0) {
    throw new UserError(
      `schema "${ctx.schema}" does not exist (config field "schema"); create it first: CREATE SCHEMA ${ctx.dialect.quoteIdent(ctx.schema)}`,
    );
  }
  for (const sql of statements) await conn.query(sql);
}
