/**
 * What a database's SQL looks like to a lexer: which quotes exist and how a backslash
 * behaves inside them, which comments, PostgreSQL's dollar quotes. Each dialect declares
 * its own (`Dialect.lexis`); the expression guard (./expression-guard.ts) and the splitting
 * of raw SQL into statements (`splitStatements`) read SQL through it, so no database name
 * is tested here and a new database brings its rules with it.
 */

export interface QuoteRule {
  open: string;
  close: string;
  /**
   * What a backslash does inside: escapes the next character (MySQL's strings), nothing
   * (standard SQL), or either one, depending on a server setting the text cannot show
   * (MySQL's NO_BACKSLASH_ESCAPES and ANSI_QUOTES). The guard accepts text only when it is
   * one expression under every reading; splitting reads "either" as escaping.
   */
  backslash: "escapes" | "literal" | "either";
}

export interface SqlLexis {
  /** Quoted runs (strings and quoted identifiers). A doubled closing quote stands for itself, except `]`. */
  quotes: readonly QuoteRule[];
  /** What starts a comment to the end of the line: `--`, MySQL's `#`. */
  lineComments: readonly string[];
  /** MySQL: `--` starts a comment only when whitespace or the end follows (`1--1` is arithmetic). */
  dashDashNeedsSpace?: boolean;
  /** `/* … *\/` (MySQL's `/*! … *\/` too, whose contents the server runs). */
  blockComments: boolean;
  /** PostgreSQL's `$tag$ … $tag$` strings. */
  dollarQuotes?: boolean;
  /** PostgreSQL's `E'…'` strings, where a backslash always escapes. */
  escapeStringPrefix?: boolean;
}

/** One lexical piece of a text: code outside quotes and comments, a quoted run, or a comment. */
export interface Piece {
  kind: "code" | "quoted" | "comment";
  start: number;
  end: number;
  /** For a comment, what opened it (`--`, `#`, `/*`); for an unclosed run, what was not closed. */
  opener?: string;
  /** A quoted run or block comment that reaches the end of the text. */
  unclosed?: boolean;
}

/** Every way to read the text's ambiguous quotes (two readings per "either" rule). */
export function readings(lexis: SqlLexis): SqlLexis[] {
  let out: SqlLexis[] = [{ ...lexis, quotes: [] }];
  for (const quote of lexis.quotes) {
    const modes = quote.backslash === "either" ? (["escapes", "literal"] as const) : [quote.backslash];
    out = out.flatMap((l) => modes.map((backslash) => ({ ...l, quotes: [...l.quotes, { ...quote, backslash }] })));
  }
  return out;
}

const WORD = /[\w$]/;

function lineCommentAt(text: string, i: number, lexis: SqlLexis): string | undefined {
  for (const opener of lexis.lineComments) {
    if (!text.startsWith(opener, i)) continue;
    if (opener === "--" && lexis.dashDashNeedsSpace && i + 2 < text.length && !/\s/.test(text[i + 2]!)) continue;
    return opener;
  }
  return undefined;
}

/**
 * Cuts `text` into pieces under `lexis` ("either" quotes read as escaping; pass one of
 * `readings(lexis)` to choose).
 */
export function lex(text: string, lexis: SqlLexis): Piece[] {
  const pieces: Piece[] = [];
  const n = text.length;
  let codeStart = 0;
  const push = (piece: Piece) => {
    if (piece.start > codeStart) pieces.push({ kind: "code", start: codeStart, end: piece.start });
    pieces.push(piece);
    codeStart = piece.end;
  };
  let i = 0;
  while (i < n) {
    const c = text[i]!;
    const quote = lexis.quotes.find((q) => q.open === c);
    if (quote) {
      const prefixed = lexis.escapeStringPrefix && c === "'" && /[eE]/.test(text[i - 1] ?? "") && !WORD.test(text[i - 2] ?? "");
      const backslash = prefixed || quote.backslash !== "literal";
      let j = i + 1;
      let closed = false;
      while (j < n) {
        const d = text[j]!;
        if (backslash && d === "\\") {
          j += 2;
          continue;
        }
        if (d === quote.close) {
          if (quote.close !== "]" && text[j + 1] === quote.close) {
            j += 2;
            continue;
          }
          closed = true;
          break;
        }
        j += 1;
      }
      push({ kind: "quoted", start: i, end: closed ? j + 1 : n, opener: c, ...(closed ? {} : { unclosed: true }) });
      i = closed ? j + 1 : n;
      continue;
    }
    if (lexis.dollarQuotes && c === "$" && !WORD.test(text[i - 1] ?? "")) {
      const tag = /^\$([A-Za-z_]\w*)?\$/.exec(text.slice(i, i + 64));
      if (tag) {
        const end = text.indexOf(tag[0], i + tag[0].length);
        push({ kind: "quoted", start: i, end: end < 0 ? n : end + tag[0].length, opener: tag[0], ...(end < 0 ? { unclosed: true } : {}) });
        i = end < 0 ? n : end + tag[0].length;
        continue;
      }
    }
    const line = lineCommentAt(text, i, lexis);
    if (line) {
      const eol = text.indexOf("\n", i);
      push({ kind: "comment", start: i, end: eol < 0 ? n : eol + 1, opener: line });
      i = eol < 0 ? n : eol + 1;
      continue;
    }
    if (lexis.blockComments && c === "/" && text[i + 1] === "*") {
      const close = text.indexOf("*/", i + 2);
      push({ kind: "comment", start: i, end: close < 0 ? n : close + 2, opener: "/*", ...(close < 0 ? { unclosed: true } : {}) });
      i = close < 0 ? n : close + 2;
      continue;
    }
    i += 1;
  }
  if (codeStart < n) pieces.push({ kind: "code", start: codeStart, end: n });
  return pieces;
}

/** Words after which BEGIN starts a transaction, not a block (`BEGIN;`, `BEGIN WORK`, SQLite's `BEGIN IMMEDIATE`). */
const TRANSACTION_BEGIN = new Set(["WORK", "TRANSACTION", "DEFERRED", "IMMEDIATE", "EXCLUSIVE", "ISOLATION", "READ", "NOT", "DEFERRABLE"]);
/** Blocks closed by `END <word>` that no counted opener started (procedural IF, LOOP, …). */
const UNCOUNTED_END = new Set(["IF", "LOOP", "WHILE", "REPEAT"]);

/** The word (upper case) or `;` that follows `from`, past whitespace and comments; "" at the end. */
function nextWord(sql: string, from: number): string {
  const rest = sql.slice(from, from + 400).replace(/^(?:\s+|--[^\n]*(?:\n|$)|#[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/, "");
  return /^([A-Za-z_]+|;)/.exec(rest)?.[1]?.toUpperCase() ?? "";
}

/**
 * Raw SQL (a revision's `op.execute`) as the statements it holds, each without its `;`,
 * in order, so that each goes to the server in a call of its own: a connection never runs
 * several statements per call, and a failure can name exactly those that ran. A `;`
 * inside quotes, comments or a compound statement's BEGIN … END (a trigger body), or a
 * CASE … END, does not end a statement. Comments before a statement's first token and after its
 * last are dropped.
 */
export function splitStatements(sql: string, lexis: SqlLexis): string[] {
  const out: string[] = [];
  let depth = 0;
  /** Where the statement's first token starts and its last ends (a trailing comment would swallow the `;` a script adds). */
  let first = -1;
  let last = -1;
  const seen = (from: number, to: number) => {
    if (first < 0) first = from;
    last = to;
  };
  const finish = () => {
    if (first >= 0) out.push(sql.slice(first, last));
    first = last = -1;
  };
  for (const piece of lex(sql, readings(lexis)[0]!)) {
    if (piece.kind === "comment") continue;
    if (piece.kind === "quoted") {
      seen(piece.start, piece.end);
      continue;
    }
    const code = sql.slice(piece.start, piece.end);
    const words = /[A-Za-z_][\w$]*|;|\S/g;
    let skipNext = false;
    for (let m = words.exec(code); m; m = words.exec(code)) {
      const token = m[0];
      if (token === ";") {
        if (depth > 0) continue;
        finish();
        continue;
      }
      seen(piece.start + m.index, piece.start + m.index + token.length);
      const word = token.toUpperCase();
      if (skipNext) {
        skipNext = false;
        continue;
      }
      if (word === "CASE") depth += 1;
      else if (word === "BEGIN") {
        const next = nextWord(sql, piece.start + m.index + token.length);
        if (next !== "" && next !== ";" && !TRANSACTION_BEGIN.has(next)) depth += 1;
      } else if (word === "END") {
        const next = nextWord(sql, piece.start + m.index + token.length);
        if (UNCOUNTED_END.has(next)) skipNext = true;
        else {
          if (next === "CASE") skipNext = true;
          depth = Math.max(0, depth - 1);
        }
      }
    }
  }
  finish();
  return out;
}
