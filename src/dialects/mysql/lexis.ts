/**
 * MySQL's and MariaDB's SQL as a lexer sees it: '…' and "…" strings where a backslash
 * escapes — or not, under sql_mode NO_BACKSLASH_ESCAPES, and "…" is an identifier under
 * ANSI_QUOTES: the text cannot tell, so the guard accepts only what is one expression
 * either way —, `…` identifiers, # and "-- " comments, /* *\/ comments (/*! … *\/ runs
 * its contents).
 */
import type { SqlLexis } from "../sql-lexis.js";

export const lexis: SqlLexis = {
  quotes: [
    { open: "'", close: "'", backslash: "either" },
    { open: '"', close: '"', backslash: "either" },
    { open: "`", close: "`", backslash: "literal" },
  ],
  lineComments: ["--", "#"],
  dashDashNeedsSpace: true,
  blockComments: true,
};
