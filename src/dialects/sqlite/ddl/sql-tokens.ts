/**
 * A small SQLite tokenizer. SQLite keeps every table's and index's DDL as text in
 * sqlite_master and reports constraint names, CHECK expressions and enum lists nowhere
 * else, so the introspector must read that text. Regexes break on quoted names,
 * nested parentheses and string literals containing commas or keywords; tokens don't.
 *
 * Every token keeps its source offsets so that expressions (CHECK, DEFAULT, WHERE) can be
 * cut out of the original text verbatim, exactly as SQLite and TypeORM see them.
 */

export type TokenKind =
  /** Bare word: keyword or unquoted identifier. `value` is the text as written. */
  | "word"
  /** "x", `x` or [x]: `value` is the identifier with quoting removed. */
  | "quoted"
  /** 'x': `value` is the string with '' unescaped. */
  | "string"
  | "number"
  /** X'0A': `value` is the hex digits. */
  | "blob"
  /** Operators and punctuation: ( ) , ; . || <= … */
  | "punct"
  /** ?, ?1, :name, @name, $name */
  | "parameter";

export interface Token {
  kind: TokenKind;
  value: string;
  /** Offset of the first character in the source. */
  start: number;
  /** Offset just past the last character. */
  end: number;
}

export class SqlSyntaxError extends Error {
  constructor(
    /** What the parser expected, without the statement (`Expected "("`). */
    readonly reason: string,
    readonly sql: string,
    readonly offset: number,
  ) {
    super(`${reason} at offset ${offset} in: ${sql.length > 200 ? `${sql.slice(0, 200)}…` : sql}`);
    this.name = "SqlSyntaxError";
  }
}

const MULTI_CHAR_PUNCT = ["->>", "||", "<=", ">=", "<>", "!=", "==", "<<", ">>", "->"];
const SINGLE_CHAR_PUNCT = "(),;.+-*/%<>=&|~";

const isDigit = (ch: string | undefined): boolean => ch !== undefined && ch >= "0" && ch <= "9";
const isWordStart = (ch: string | undefined): boolean => ch !== undefined && (/[A-Za-z_]/.test(ch) || ch.charCodeAt(0) > 0x7f);
const isWordPart = (ch: string | undefined): boolean => ch !== undefined && (isWordStart(ch) || /[0-9$]/.test(ch));

/** Reads a run delimited by `close`, where a doubled `close` stands for itself. */
function readDelimited(sql: string, from: number, close: string): { value: string; end: number } {
  let value = "";
  let i = from + 1;
  for (;;) {
    if (i >= sql.length) throw new SqlSyntaxError(`Unterminated ${sql[from]}…${close}`, sql, from);
    const ch = sql[i]!;
    if (ch === close) {
      if (close !== "]" && sql[i + 1] === close) {
        value += close;
        i += 2;
        continue;
      }
      return { value, end: i + 1 };
    }
    value += ch;
    i += 1;
  }
}

function readNumber(sql: string, from: number): number {
  let i = from;
  if (sql[i] === "0" && (sql[i + 1] === "x" || sql[i + 1] === "X")) {
    i += 2;
    while (i < sql.length && /[0-9A-Fa-f]/.test(sql[i]!)) i += 1;
    return i;
  }
  while (isDigit(sql[i]) || sql[i] === "_") i += 1;
  if (sql[i] === ".") {
    i += 1;
    while (isDigit(sql[i]) || sql[i] === "_") i += 1;
  }
  if ((sql[i] === "e" || sql[i] === "E") && (isDigit(sql[i + 1]) || ((sql[i + 1] === "+" || sql[i + 1] === "-") && isDigit(sql[i + 2])))) {
    i += 2;
    while (isDigit(sql[i])) i += 1;
  }
  return i;
}

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    const next = sql[i + 1];
    if (/\s/.test(ch)) {
      i += 1;
    } else if (ch === "-" && next === "-") {
      const eol = sql.indexOf("\n", i);
      i = eol === -1 ? sql.length : eol + 1;
    } else if (ch === "/" && next === "*") {
      const close = sql.indexOf("*/", i + 2);
      i = close === -1 ? sql.length : close + 2;
    } else if ((ch === "x" || ch === "X") && next === "'") {
      const { value, end } = readDelimited(sql, i + 1, "'");
      tokens.push({ kind: "blob", value, start: i, end });
      i = end;
    } else if (ch === "'") {
      const { value, end } = readDelimited(sql, i, "'");
      tokens.push({ kind: "string", value, start: i, end });
      i = end;
    } else if (ch === '"' || ch === "`" || ch === "[") {
      const { value, end } = readDelimited(sql, i, ch === "[" ? "]" : ch);
      tokens.push({ kind: "quoted", value, start: i, end });
      i = end;
    } else if (isDigit(ch) || (ch === "." && isDigit(next))) {
      const end = readNumber(sql, i);
      tokens.push({ kind: "number", value: sql.slice(i, end), start: i, end });
      i = end;
    } else if (isWordStart(ch)) {
      let end = i + 1;
      while (isWordPart(sql[end])) end += 1;
      tokens.push({ kind: "word", value: sql.slice(i, end), start: i, end });
      i = end;
    } else if (ch === "?" || ((ch === ":" || ch === "@" || ch === "$") && isWordPart(next))) {
      let end = i + 1;
      while (isWordPart(sql[end])) end += 1;
      tokens.push({ kind: "parameter", value: sql.slice(i, end), start: i, end });
      i = end;
    } else {
      const multi = MULTI_CHAR_PUNCT.find((p) => sql.startsWith(p, i));
      if (multi) {
        tokens.push({ kind: "punct", value: multi, start: i, end: i + multi.length });
        i += multi.length;
      } else if (SINGLE_CHAR_PUNCT.includes(ch)) {
        tokens.push({ kind: "punct", value: ch, start: i, end: i + 1 });
        i += 1;
      } else {
        throw new SqlSyntaxError(`Unexpected character ${JSON.stringify(ch)}`, sql, i);
      }
    }
  }
  return tokens;
}

/** True for an identifier token (bare or quoted) whose name is `name` (case-insensitive, as SQLite compares). */
export function isIdentifier(token: Token | undefined, name: string): boolean {
  return token !== undefined && (token.kind === "word" || token.kind === "quoted") && token.value.toLowerCase() === name.toLowerCase();
}

/** True for a bare keyword (quoted words are identifiers, never keywords). */
export function isKeyword(token: Token | undefined, ...keywords: string[]): boolean {
  return token !== undefined && token.kind === "word" && keywords.includes(token.value.toUpperCase());
}

export function isPunct(token: Token | undefined, value: string): boolean {
  return token !== undefined && token.kind === "punct" && token.value === value;
}

/**
 * Re-joins an expression's tokens with single spaces collapsed away where SQL does not
 * need them, so that `age>0`, `age > 0` and `age  >  0` read the same. String literals,
 * quoted identifiers and keywords are kept exactly as written.
 */
export function canonicalExpressionText(sql: string): string {
  let tokens: Token[];
  try {
    tokens = tokenize(sql);
  } catch {
    return sql.trim().replace(/\s+/g, " ");
  }
  let out = "";
  let previous: Token | undefined;
  let previousIsUnarySign = false;
  for (const token of tokens) {
    const text = sql.slice(token.start, token.end);
    if (previous && !previousIsUnarySign && needsSpace(previous, token)) out += " ";
    previousIsUnarySign = (isPunct(token, "-") || isPunct(token, "+")) && startsOperand(previous);
    out += text;
    previous = token;
  }
  return out;
}

/** After this token an operand is expected, so a following +/- is a sign, not an operator. */
function startsOperand(token: Token | undefined): boolean {
  if (token === undefined) return true;
  if (token.kind === "punct") return token.value !== ")";
  return isKeyword(
    token,
    "AND",
    "OR",
    "NOT",
    "IS",
    "IN",
    "LIKE",
    "GLOB",
    "BETWEEN",
    "WHEN",
    "THEN",
    "ELSE",
    "CASE",
    "DEFAULT",
    "CHECK",
    "WHERE",
  );
}

function needsSpace(previous: Token, token: Token): boolean {
  if (isPunct(previous, "(") || isPunct(previous, ".")) return false;
  if (isPunct(token, ")") || isPunct(token, ",") || isPunct(token, ".")) return false;
  // A function call: `datetime('now')`, `COALESCE(a, b)`.
  if (isPunct(token, "(") && (previous.kind === "word" || previous.kind === "quoted")) {
    return isKeyword(
      previous,
      "IN",
      "AND",
      "OR",
      "NOT",
      "IS",
      "EXISTS",
      "LIKE",
      "GLOB",
      "BETWEEN",
      "WHEN",
      "THEN",
      "ELSE",
      "CASE",
      "ON",
      "AS",
    );
  }
  return true;
}

/** True when `sql` holds more than one statement (a `;` followed by further tokens). */
export function hasSeveralStatements(sql: string): boolean {
  let tokens: Token[];
  try {
    tokens = tokenize(sql);
  } catch {
    return false;
  }
  const firstSemicolon = tokens.findIndex((t) => isPunct(t, ";"));
  return firstSemicolon !== -1 && tokens.slice(firstSemicolon + 1).some((t) => !isPunct(t, ";"));
}
