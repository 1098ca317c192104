/**
 * MySQL's own lint rules. Its one rule is raised by its own op kind (alterTable, in
 * ./op-kinds.ts); its text and severity live here so that shared lint never names it.
 */
import type { DatabaseLint } from "../../lint/rules.js";

export const mysqlLint: DatabaseLint = {
  rules: {
    "collation-convert": "table collation change on an existing table: every row is converted while the table is rebuilt and writes wait",
  },
  severity: { "collation-convert": "error" },
};
