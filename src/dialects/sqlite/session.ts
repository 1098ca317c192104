/** A "schema" on SQLite is an attached database; autogen works in `main` only (the config refuses another). */
import type { SessionSql } from "../dialect.js";

export const session: SessionSql = { statements: () => [], schemaExists: () => null };
