/** MySQL's "schema" is the URL's database; nothing to set per connection, nothing to check. */
import type { SessionSql } from "../dialect.js";

export const session: SessionSql = { statements: () => [], schemaExists: () => null };
