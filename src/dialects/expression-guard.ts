/**
 * The last line of defence against SQL injection through expression text (a default, a
 * CHECK, an index's WHERE, a computed column): such text is spliced into DDL as an
 * expression, so it must be one — no statement separator, no comment that swallows the
 * rest of the statement, no parenthesis that closes the surrounding clause. Values are
 * quoted where they enter the IR (the dialect's `quoteLiteral`); this catches what slips
 * past that (a hand-written revision, a model reader bug) before it reaches the database.
 *
 * Lexing rules are passed in by the dialect (which quotes exist), so no dialect name is
 * tested here.
 */
import { UserError } from "../errors.js";

export interface ExpressionLexis {
  /** PostgreSQL's `$tag$ … $tag$` strings. */
  dollarQuotes?: boolean;
  /** PostgreSQL's `E'…'` strings, where a backslash escapes the next character. */
  escapeStrings?: boolean;
  /** SQLite's `[name]` and `` `name` `` identifiers. */
  bracketIdentifiers?: boolean;
}

/** Why `text` is not one expression, or undefined when it is. */
export function expressionProblem(text: string, lexis: ExpressionLexis): string | undefined {
  let depth = 0;
  let i = 0;
  const n = text.length;
  const skipQuoted = (close: string, backslash: boolean): boolean => {
    for (i += 1; i < n; i++) {
      const c = text[i]!;
      if (backslash && c === "\\") {
        i += 1;
        continue;
      }
      if (c === close) {
        if (text[i + 1] === close && close !== "]") {
          i += 1;
          continue;
        }
        return true;
      }
    }
    return false;
  };
  while (i < n) {
    const c = text[i]!;
    if (c === "'") {
      const escaped = lexis.escapeStrings === true && i > 0 && /[eE]/.test(text[i - 1]!) && !/[\w$]/.test(text[i - 2] ?? "");
      if (!skipQuoted("'", escaped)) return "a string literal is not closed";
    } else if (c === '"') {
      if (!skipQuoted('"', false)) return "a quoted identifier is not closed";
    } else if (lexis.bracketIdentifiers && (c === "[" || c === "`")) {
      if (!skipQuoted(c === "[" ? "]" : "`", false)) return "a quoted identifier is not closed";
    } else if (lexis.dollarQuotes && c === "$") {
      const tag = /^\$([A-Za-z_][\w]*)?\$/.exec(text.slice(i));
      if (tag && !/[\w$]/.test(text[i - 1] ?? "")) {
        const end = text.indexOf(tag[0], i + tag[0].length);
        if (end < 0) return "a dollar-quoted string is not closed";
        i = end + tag[0].length - 1;
      }
    } else if (c === ";") {
      return "it contains a statement separator (;)";
    } else if (c === "-" && text[i + 1] === "-") {
      return "it contains a comment (--)";
    } else if (c === "/" && text[i + 1] === "*") {
      return "it contains a comment (/*)";
    } else if (c === "(") {
      depth += 1;
    } else if (c === ")") {
      depth -= 1;
      if (depth < 0) return "it closes a parenthesis it did not open";
    }
    i += 1;
  }
  return depth === 0 ? undefined : "a parenthesis is not closed";
}

/**
 * Throws a one-line UserError naming `what` (e.g. `default of users.name`) unless `text`
 * is a single SQL expression. A string value meant as a literal must be quoted first
 * (`'Don''t know'`); a default given as a function in the model stays an expression.
 */
export function assertExpression(text: string, what: string, lexis: ExpressionLexis): string {
  const problem = expressionProblem(text, lexis);
  if (problem !== undefined) {
    const shown = text.length > 80 ? `${text.slice(0, 77)}...` : text;
    throw new UserError(`${what} is not a single SQL expression (${problem}): ${shown}; a text value must be a quoted literal`);
  }
  return text;
}
