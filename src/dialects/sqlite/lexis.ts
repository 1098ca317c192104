/** SQLite's SQL as a lexer sees it: '…' strings, "…", `…` and […] identifiers, -- and /* *\/ comments. */
import type { SqlLexis } from "../sql-lexis.js";

export const lexis: SqlLexis = {
  quotes: [
    { open: "'", close: "'", backslash: "literal" },
    { open: '"', close: '"', backslash: "literal" },
    { open: "`", close: "`", backslash: "literal" },
    { open: "[", close: "]", backslash: "literal" },
  ],
  lineComments: ["--"],
  blockComments: true,
};
