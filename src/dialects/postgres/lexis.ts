/**
 * PostgreSQL's SQL as a lexer sees it: '…' strings where a backslash is literal (every
 * connection sets standard_conforming_strings on, and so does an offline script: see
 * session.ts), E'…' strings where it escapes, "…" identifiers, $tag$ … $tag$ strings,
 * -- and /* *\/ comments.
 */
import type { SqlLexis } from "../sql-lexis.js";

export const lexis: SqlLexis = {
  quotes: [
    { open: "'", close: "'", backslash: "literal" },
    { open: '"', close: '"', backslash: "literal" },
  ],
  lineComments: ["--"],
  blockComments: true,
  dollarQuotes: true,
  escapeStringPrefix: true,
};
