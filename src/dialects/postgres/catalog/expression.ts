/**
 * Canonical spelling of SQL expressions (defaults, CHECK bodies, partial-index
 * predicates, generated-column expressions), so that what a user wrote in a TypeORM
 * decorator and what PostgreSQL deparses from its catalog compare equal.
 *
 * PostgreSQL's deparser adds what the user did not write: parentheses around every
 * operator, casts on literals (`'x'::character varying`, `(0)::numeric`), casts of
 * varchar columns to text, `= ANY (ARRAY[…])` for `IN (…)`, and upper-case keywords.
 * The canonical form removes exactly those, and only where removing them cannot change
 * what the expression means, because the canonical expression is also what a revision
 * renders back into DDL:
 * - unquoted words are lower-cased (PostgreSQL folds them anyway); quoted identifiers
 *   lose their quotes when they would mean the same thing unquoted;
 * - casts are removed from literals (a literal takes the type its context needs) and
 *   text-like casts from plain column references (varchar and text are interchangeable);
 * - parentheses are removed around single operands and where operator precedence makes
 *   them redundant; anything the precedence table does not cover keeps its parentheses;
 * - `x = ANY (ARRAY[a, b])` becomes `x IN (a, b)`, `x <> ALL (ARRAY[…])` becomes `x NOT IN (…)`,
 *   and the operators `~~`/`~~*` (how LIKE/ILIKE are deparsed) become LIKE/ILIKE;
 * - `x BETWEEN a AND b` becomes `x >= a AND x <= b` (what PostgreSQL stores) when its
 *   operands are simple; a quoted number cast to a numeric type becomes the number;
 *   typed literals such as `interval '1 day'` lose the type word, like casts of literals;
 * - CASE clauses lose the parentheses around their expressions;
 * - `CURRENT_TIMESTAMP` becomes `now()`, and TypeORM's `('now'::text)::date`-style
 *   spellings become the SQL keywords PostgreSQL reports (`current_date`, `localtimestamp`, …);
 * - whitespace is one space between tokens, none inside brackets or around `::` and `.`.
 */

type Token =
  | { t: "str"; v: string } // raw text including quotes and any E/U& prefix
  | { t: "qid"; v: string } // quoted identifier, unescaped
  | { t: "num"; v: string }
  | { t: "word"; v: string } // unquoted word, lower case
  | { t: "op"; v: string }
  | { t: "punct"; v: "::" | "," | "." | ";" };

interface Group {
  t: "group";
  open: "(" | "[";
  items: Node[];
}

type Node = Token | Group;

// Keywords that cannot serve as a plain column name in an expression (PostgreSQL's
// reserved, type/function-name and column-name keywords): identifiers spelling one of
// these keep their quotes.
const NON_UNRESERVED_KEYWORDS = new Set(
  (
    "all analyse analyze and any array as asc asymmetric authorization between bigint binary bit boolean both case cast " +
    "char character check coalesce collate collation column concurrently constraint create cross current_catalog " +
    "current_date current_role current_schema current_time current_timestamp current_user dec decimal default " +
    "deferrable desc distinct do else end except exists extract false fetch float for foreign freeze from full grant " +
    "greatest group grouping having ilike in initially inner inout int integer intersect interval into is isnull join " +
    "json json_array json_arrayagg json_exists json_object json_objectagg json_query json_scalar json_serialize " +
    "json_table json_value lateral leading least left like limit localtime localtimestamp merge_action national natural " +
    "nchar none normalize not notnull null nullif numeric offset on only or order out outer overlaps overlay placing " +
    "position precision primary real references returning right row select session_user setof similar smallint some " +
    "substring symmetric system_user table tablesample then time timestamp to trailing treat trim true union unique " +
    "user using values varchar variadic verbose when where window with xmlattributes xmlconcat xmlelement xmlexists " +
    "xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable"
  ).split(" "),
);

/** Binary operators by precedence (higher binds tighter), following PostgreSQL's table. */
const WORD_OPERATORS: Record<string, number> = {
  or: 1,
  and: 2,
  is: 4,
  isnull: 4,
  notnull: 4,
  between: 6,
  like: 6,
  ilike: 6,
  similar: 6,
};
const NOT_PRECEDENCE = 3;
const COMPARISON = new Set(["<", ">", "=", "<=", ">=", "<>", "!="]);
/**
 * Precedence levels whose operators associate to the left, so (a op b) op c ==
 * a op b op c: AND, OR, arithmetic and every other symbolic operator. Comparisons,
 * IS, LIKE, BETWEEN and IN do not associate.
 */
const LEFT_ASSOCIATIVE_LEVELS = new Set([1, 2, 7, 8, 9, 10]);

function symbolPrecedence(op: string): number {
  if (COMPARISON.has(op)) return 5;
  if (op === "+" || op === "-") return 8;
  if (op === "*" || op === "/" || op === "%") return 9;
  if (op === "^") return 10;
  return 7; // any other operator: ||, ->>, @>, ~~, …
}

/** Words after which a parenthesised group is an argument list or a subquery, never an operand. */
function introducesArguments(word: string): boolean {
  return !(word in WORD_OPERATORS) && word !== "not";
}

// ---------------------------------------------------------------- tokenizer

const OP_CHARS = "+-*/<>=~!@#%^&|`?";

function tokenize(sql: string): Token[] | undefined {
  const tokens: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "-" && sql[i + 1] === "-") return undefined; // comments: leave the text alone
    if (c === "/" && sql[i + 1] === "*") return undefined;
    const prefixed = /^(?:[eE]|[uU]&|[bBxX])'/.exec(sql.slice(i, i + 3));
    if (c === "'" || prefixed) {
      let j = i + (prefixed ? prefixed[0].length : 1);
      const escapes = prefixed !== null && /^[eE]/.test(prefixed[0]);
      for (;;) {
        if (j >= n) return undefined;
        if (escapes && sql[j] === "\\") j += 2;
        else if (sql[j] === "'" && sql[j + 1] === "'") j += 2;
        else if (sql[j] === "'") break;
        else j++;
      }
      tokens.push({ t: "str", v: sql.slice(i, j + 1) });
      i = j + 1;
      continue;
    }
    if (c === "$") {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (!tag) return undefined;
      const end = sql.indexOf(tag[0], i + tag[0].length);
      if (end < 0) return undefined;
      tokens.push({ t: "str", v: sql.slice(i, end + tag[0].length) });
      i = end + tag[0].length;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let name = "";
      for (;;) {
        if (j >= n) return undefined;
        if (sql[j] === '"' && sql[j + 1] === '"') {
          name += '"';
          j += 2;
        } else if (sql[j] === '"') break;
        else name += sql[j++];
      }
      tokens.push({ t: "qid", v: name });
      i = j + 1;
      continue;
    }
    const num = /^(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)/.exec(sql.slice(i));
    if (num) {
      tokens.push({ t: "num", v: num[0] });
      i += num[0].length;
      continue;
    }
    const word = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/.exec(sql.slice(i));
    if (word) {
      tokens.push({ t: "word", v: word[0].toLowerCase() });
      i += word[0].length;
      continue;
    }
    if (c === ":" && sql[i + 1] === ":") {
      tokens.push({ t: "punct", v: "::" });
      i += 2;
      continue;
    }
    if (c === "," || c === "." || c === ";") {
      tokens.push({ t: "punct", v: c });
      i++;
      continue;
    }
    if ("()[]".includes(c)) {
      tokens.push({ t: "op", v: c }); // structural; turned into groups by parse()
      i++;
      continue;
    }
    if (OP_CHARS.includes(c)) {
      let j = i;
      while (j < n && OP_CHARS.includes(sql[j]!)) {
        if ((sql[j] === "-" && sql[j + 1] === "-") || (sql[j] === "/" && sql[j + 1] === "*")) break;
        j++;
      }
      let op = sql.slice(i, j);
      // PostgreSQL's lexer: a multi-character operator cannot end in + or - unless it
      // contains one of ~ ! @ # % ^ & | ` ? (so `=-1` is `=` followed by `-1`).
      while (op.length > 1 && /[+-]$/.test(op) && !/[~!@#%^&|`?]/.test(op)) op = op.slice(0, -1);
      tokens.push({ t: "op", v: op });
      i += op.length;
      continue;
    }
    return undefined; // something this tokenizer does not know: leave the text alone
  }
  return tokens;
}

function parse(tokens: Token[]): Node[] | undefined {
  const stack: Group[] = [{ t: "group", open: "(", items: [] }];
  for (const tok of tokens) {
    if (tok.t === "op" && (tok.v === "(" || tok.v === "[")) {
      const g: Group = { t: "group", open: tok.v, items: [] };
      stack[stack.length - 1]!.items.push(g);
      stack.push(g);
    } else if (tok.t === "op" && (tok.v === ")" || tok.v === "]")) {
      const top = stack.pop();
      if (!top || stack.length === 0 || top.open !== (tok.v === ")" ? "(" : "[")) return undefined;
    } else {
      stack[stack.length - 1]!.items.push(tok);
    }
  }
  return stack.length === 1 ? stack[0]!.items : undefined;
}

// ---------------------------------------------------------------- predicates

const isWord = (n: Node | undefined, v?: string): n is Token & { t: "word" } =>
  n !== undefined && n.t === "word" && (v === undefined || n.v === v);
const isOp = (n: Node | undefined, v?: string): n is Token & { t: "op" } =>
  n !== undefined && n.t === "op" && (v === undefined || n.v === v);
const isPunct = (n: Node | undefined, v: string): boolean => n !== undefined && n.t === "punct" && n.v === v;
const isGroup = (n: Node | undefined, open?: "(" | "["): n is Group =>
  n !== undefined && n.t === "group" && (open === undefined || n.open === open);

function isLiteral(n: Node | undefined): boolean {
  return n !== undefined && (n.t === "str" || n.t === "num" || isWord(n, "null") || isWord(n, "true") || isWord(n, "false"));
}

/** A plain column reference: unquoted non-keyword word or quoted identifier (one name part). */
function isIdentifier(n: Node | undefined): boolean {
  return n !== undefined && (n.t === "qid" || (n.t === "word" && !NON_UNRESERVED_KEYWORDS.has(n.v)));
}

/** Does `items` consist of exactly one operand that needs no parentheses of its own? */
function isSingleOperand(items: Node[]): boolean {
  if (items.length === 1) {
    const only = items[0]!;
    return only.t === "str" || only.t === "num" || only.t === "qid" || isGroup(only, "(") || (isWord(only) && !isOperatorWord(only));
  }
  // name(...) function call, array[...] constructor, a.b qualified name, signed number
  if (items.length === 2) {
    const [a, b] = items;
    if ((isOp(a, "-") || isOp(a, "+")) && b?.t === "num") return true;
    if (isGroup(b, "(") && (isIdentifier(a) || (isWord(a) && introducesArguments(a.v) && !isWord(a, "in"))))
      return !isWord(a, "any") && !isWord(a, "all") && !isWord(a, "some") && !isWord(a, "exists") && !isWord(a, "values");
    if (isWord(a, "array") && isGroup(b, "[")) return true;
  }
  if (
    items.length === 3 &&
    isPunct(items[1], ".") &&
    (isIdentifier(items[0]) || isWord(items[0])) &&
    (isIdentifier(items[2]) || isWord(items[2]))
  )
    return true;
  return false;
}

/** An ARRAY[...] whose elements are all literals (after their casts were removed). */
function isLiteralArray(a: Node | undefined, b: Node | undefined): boolean {
  return isWord(a, "array") && isGroup(b, "[") && b.items.every((x) => isLiteral(x) || isPunct(x, ","));
}

// ---------------------------------------------------------------- casts

const MULTI_WORD_TYPES: string[][] = [
  ["character", "varying"],
  ["double", "precision"],
  ["bit", "varying"],
  ["timestamp", "with", "time", "zone"],
  ["timestamp", "without", "time", "zone"],
  ["time", "with", "time", "zone"],
  ["time", "without", "time", "zone"],
];

/** Length of the type name that starts at items[start] (after `::`), or 0 if none. */
function typeSpan(items: Node[], start: number): { end: number; name: string } {
  let i = start;
  const parts: string[] = [];
  const first = items[i];
  if (!first || (first.t !== "word" && first.t !== "qid")) return { end: start, name: "" };
  parts.push(first.v);
  i++;
  // schema-qualified type name: only the last part says which type it is
  while (isPunct(items[i], ".") && (items[i + 1]?.t === "word" || items[i + 1]?.t === "qid")) {
    parts[0] = (items[i + 1] as Token).v;
    i += 2;
  }
  if (first.t === "word") {
    for (const multi of MULTI_WORD_TYPES) {
      if (multi[0] !== first.v) continue;
      // timestamp(3) with time zone: the precision sits between the first word and the rest
      const hasPrecision = isGroup(items[i], "(");
      const offset = hasPrecision ? 1 : 0;
      if (multi.slice(1).every((w, k) => isWord(items[i + offset + k], w))) {
        parts.push(...multi.slice(1));
        i += offset + multi.length - 1;
        break;
      }
    }
  }
  if (isGroup(items[i], "(")) i++;
  while (isGroup(items[i], "[") && (items[i] as Group).items.length === 0) i++;
  return { end: i, name: parts.join(" ") };
}

const NUMERIC_CAST_TYPES = new Set([
  "integer",
  "int",
  "int4",
  "smallint",
  "int2",
  "bigint",
  "int8",
  "numeric",
  "decimal",
  "real",
  "float4",
  "double precision",
  "float8",
]);

const TEXT_LIKE_TYPES = new Set(["text", "character varying", "varchar", "bpchar", "character", "char", "name"]);

/** Removes `::type` where the cast cannot change the meaning (see the header). */
function stripCasts(items: Node[]): Node[] {
  const out: Node[] = [];
  for (let i = 0; i < items.length; i++) {
    const node = items[i]!;
    if (!isPunct(node, "::")) {
      out.push(node);
      continue;
    }
    const { end, name } = typeSpan(items, i + 1);
    if (end === i + 1) {
      out.push(node);
      continue;
    }
    const prev = out[out.length - 1];
    const beforePrev = out[out.length - 2];
    const operandIsCall = isGroup(prev, "(") && (beforePrev?.t === "qid" || (isWord(beforePrev) && introducesArguments(beforePrev.v)));
    const prevIsStandalone = !operandIsCall && !(isPunct(beforePrev, ".") || isPunct(beforePrev, "::"));
    let removable = false;
    if (prevIsStandalone) {
      if (isLiteral(prev)) removable = true;
      else if (isGroup(prev, "(") && prev.items.length === 1 && isLiteral(prev.items[0])) removable = true;
      else if (isGroup(prev, "(") && prev.items.length === 2 && isLiteralArray(prev.items[0], prev.items[1])) removable = true;
      else if (isGroup(prev, "[") && isLiteralArray(beforePrev, prev)) removable = true;
      else if (TEXT_LIKE_TYPES.has(name)) {
        if (isIdentifier(prev)) removable = true;
        else if (isGroup(prev, "(") && prev.items.length === 1 && isIdentifier(prev.items[0])) removable = true;
      }
    }
    const numeric =
      prevIsStandalone && prev?.t === "str" && NUMERIC_CAST_TYPES.has(name) ? /^'([+-]?)(\d+(?:\.\d+)?)'$/.exec(prev.v) : null;
    if (numeric) {
      // '-1'::integer is how PostgreSQL prints the number -1
      out.pop();
      if (numeric[1] === "-") out.push({ t: "op", v: "-" });
      out.push({ t: "num", v: numeric[2]! });
      i = end - 1;
      continue;
    }
    if (removable) {
      i = end - 1;
      continue;
    }
    out.push(...items.slice(i, end));
    i = end - 1;
  }
  return out;
}

// ---------------------------------------------------------------- IN lists

/** `x = ANY (ARRAY[a, b])` -> `x IN (a, b)`; `x <> ALL (ARRAY[a, b])` -> `x NOT IN (a, b)`. */
function rewriteInLists(items: Node[]): Node[] {
  const out: Node[] = [];
  for (let i = 0; i < items.length; i++) {
    const op = items[i];
    const quant = items[i + 1];
    const arg = items[i + 2];
    const match = (isOp(op, "=") && isWord(quant, "any")) || ((isOp(op, "<>") || isOp(op, "!=")) && isWord(quant, "all"));
    if (match && isGroup(arg, "(") && arg.items.length === 2 && isWord(arg.items[0], "array") && isGroup(arg.items[1], "[")) {
      if (isWord(quant, "all")) out.push({ t: "word", v: "not" });
      out.push({ t: "word", v: "in" }, { t: "group", open: "(", items: (arg.items[1] as Group).items });
      i += 2;
      continue;
    }
    out.push(op!);
  }
  return out;
}

// ---------------------------------------------------------------- parentheses

interface OperatorAt {
  index: number;
  precedence: number;
  name: string;
}

/** Top-level binary operators of `items` (unary minus, NOT prefixes and BETWEEN's AND are not binary). */
function binaryOperators(items: Node[]): OperatorAt[] | undefined {
  const ops: OperatorAt[] = [];
  let expectOperand = true;
  let inBetween = false;
  for (let i = 0; i < items.length; i++) {
    const n = items[i]!;
    if (n.t === "op") {
      if (expectOperand) continue; // unary + / - / prefix operator
      const name = n.v;
      ops.push({ index: i, precedence: symbolPrecedence(name), name });
      expectOperand = true;
      continue;
    }
    if (n.t === "word") {
      if (n.v === "and" && inBetween) {
        inBetween = false;
        expectOperand = true;
        continue;
      }
      if (n.v === "not") {
        if (expectOperand) ops.push({ index: i, precedence: NOT_PRECEDENCE, name: "not" });
        // `x NOT LIKE y`, `x NOT IN (…)`: part of the following operator
        continue;
      }
      if (n.v === "in") {
        ops.push({ index: i, precedence: 6, name: "in" });
        expectOperand = true;
        continue;
      }
      const p = WORD_OPERATORS[n.v];
      if (p !== undefined && !expectOperand) {
        ops.push({ index: i, precedence: p, name: n.v });
        if (n.v === "between") inBetween = true;
        // IS [NOT] NULL / TRUE / DISTINCT FROM …: the operand after IS is part of the operator
        expectOperand = n.v !== "isnull" && n.v !== "notnull";
        continue;
      }
      if (
        ["case", "when", "then", "else", "end", "select", "from", "where", "as", "escape", "collate", "at", "distinct", "over"].includes(
          n.v,
        )
      )
        return undefined; // constructs outside the precedence table
      expectOperand = false;
      continue;
    }
    if (isPunct(n, ",") || isPunct(n, ";")) return undefined;
    expectOperand = false;
  }
  return ops;
}

function isArgumentList(items: Node[], index: number): boolean {
  const prev = items[index - 1];
  if (prev === undefined) return false;
  if (prev.t === "qid" || prev.t === "group" || prev.t === "str" || prev.t === "num") return true;
  if (prev.t === "word") return introducesArguments(prev.v);
  return isPunct(prev, ".");
}

/** Removes parentheses in `items` that precedence makes redundant. */
function dropRedundantParens(items: Node[]): Node[] {
  const ops = binaryOperators(items);
  const out: Node[] = [];
  for (let i = 0; i < items.length; i++) {
    const g = items[i]!;
    if (!isGroup(g, "(")) {
      out.push(g);
      continue;
    }
    // CASE WHEN (cond) THEN (value) …: each clause holds one whole expression
    if (isClauseKeyword(items[i - 1], CLAUSE_OPENERS) && (i === items.length - 1 || isClauseKeyword(items[i + 1], CLAUSE_CLOSERS))) {
      out.push(...g.items);
      continue;
    }
    if (isArgumentList(items, i) || isGroup(items[i + 1], "[")) {
      out.push(g);
      continue;
    }
    // `::` binds tighter than anything, so only a single operand may lose its parentheses before it
    if (isPunct(items[i + 1], "::")) {
      out.push(...(isSingleOperand(g.items) ? g.items : [g]));
      continue;
    }
    if (isSingleOperand(g.items)) {
      out.push(...g.items);
      continue;
    }
    out.push(...(ops && parensRedundant(g, i, items, ops) ? g.items : [g]));
  }
  return out;
}

const CLAUSE_OPENERS = new Set(["case", "when", "then", "else"]);
const CLAUSE_CLOSERS = new Set(["when", "then", "else", "end"]);

function isClauseKeyword(n: Node | undefined, words: Set<string>): boolean {
  return isWord(n) && words.has(n.v);
}

/** Would `items` mean the same with group `g` (at `index`) unwrapped? */
function parensRedundant(g: Group, index: number, items: Node[], ops: OperatorAt[]): boolean {
  const inner = binaryOperators(g.items);
  if (inner === undefined || inner.length === 0) return false;
  const innerMin = Math.min(...inner.map((o) => o.precedence));
  const loosest = inner.filter((o) => o.precedence === innerMin);

  let leftOk = index === 0;
  if (!leftOk) {
    const left = ops.find((o) => o.index === index - 1);
    if (!left) return false; // a unary operator or something unknown sits on the left
    leftOk =
      innerMin > left.precedence ||
      (innerMin === left.precedence && (left.name === "and" || left.name === "or") && loosest.every((o) => o.name === left.name));
  }
  let rightOk = index === items.length - 1;
  if (!rightOk) {
    const right = ops.find((o) => o.index === index + 1);
    if (!right) return false;
    rightOk =
      innerMin > right.precedence ||
      (innerMin === right.precedence && LEFT_ASSOCIATIVE_LEVELS.has(innerMin) && loosest.every((o) => o.name !== "not"));
  }
  return leftOk && rightOk;
}

// ---------------------------------------------------------------- passes

function unquote(items: Node[]): Node[] {
  return items.map((n) =>
    n.t === "qid" && /^[a-z_][a-z0-9_$]*$/.test(n.v) && !NON_UNRESERVED_KEYWORDS.has(n.v) ? { t: "word", v: n.v } : n,
  );
}

/** CURRENT_TIMESTAMP (no precision) is now(). */
function canonicalNow(items: Node[]): Node[] {
  const out: Node[] = [];
  for (let i = 0; i < items.length; i++) {
    const n = items[i]!;
    if (isWord(n, "current_timestamp") && !isGroup(items[i + 1], "(")) {
      out.push({ t: "word", v: "now" }, { t: "group", open: "(", items: [] });
      continue;
    }
    if (isWord(n, "transaction_timestamp") && isGroup(items[i + 1], "(") && (items[i + 1] as Group).items.length === 0) {
      out.push({ t: "word", v: "now" });
      continue;
    }
    out.push(n);
  }
  return out;
}

/** `interval '1 day'` is PostgreSQL's `'1 day'::interval`; the literal alone says the same in context. */
const TYPED_LITERAL_PREFIXES = new Set(["interval", "date", "timestamp", "timestamptz"]);

function typedLiterals(items: Node[]): Node[] {
  return items.filter(
    (n, i) => !(isWord(n) && TYPED_LITERAL_PREFIXES.has(n.v) && items[i + 1]?.t === "str" && !isPunct(items[i - 1], "::")),
  );
}

/** Length of a simple operand starting at items[i]: a token, a signed number or a function call; 0 if none. */
function atomLength(items: Node[], i: number): number {
  const n = items[i];
  if (n === undefined) return 0;
  if ((isOp(n, "-") || isOp(n, "+")) && items[i + 1]?.t === "num") return 2;
  if ((isIdentifier(n) || isWord(n)) && isGroup(items[i + 1], "(") && !isOperatorWord(n) && introducesArguments((n as Token).v)) return 2;
  if (n.t === "str" || n.t === "num" || n.t === "qid" || (isWord(n) && !isOperatorWord(n) && n.v !== "null")) return 1;
  return 0;
}

/** Is position `i` an operand boundary for an operator of precedence 6 (BETWEEN)? */
function looserBoundary(n: Node | undefined): boolean {
  return (
    n === undefined ||
    isPunct(n, ",") ||
    (isWord(n) && (n.v === "and" || n.v === "or" || n.v === "not" || CLAUSE_OPENERS.has(n.v) || CLAUSE_CLOSERS.has(n.v)))
  );
}

/**
 * PostgreSQL stores `x BETWEEN a AND b` as `x >= a AND x <= b` (and NOT BETWEEN as
 * `x < a OR x > b`); rewrite to that when x, a and b are simple operands.
 */
function rewriteBetween(items: Node[]): Node[] {
  for (let i = 0; i < items.length; i++) {
    if (!isWord(items[i], "between")) continue;
    const negated = isWord(items[i - 1], "not");
    const xEnd = negated ? i - 1 : i;
    const xLen = [2, 1].find((len) => atomLength(items, xEnd - len) === len) ?? 0;
    const xStart = xEnd - xLen;
    if (xLen === 0 || !looserBoundary(items[xStart - 1])) continue;
    const aLen = atomLength(items, i + 1);
    if (aLen === 0 || !isWord(items[i + 1 + aLen], "and")) continue;
    const bStart = i + 2 + aLen;
    const bLen = atomLength(items, bStart);
    if (bLen === 0 || !looserBoundary(items[bStart + bLen])) continue;
    const x = items.slice(xStart, xEnd);
    const a = items.slice(i + 1, i + 1 + aLen);
    const b = items.slice(bStart, bStart + bLen);
    const op = (v: string): Node => ({ t: "op", v });
    const word = (v: string): Node => ({ t: "word", v });
    const inner = negated
      ? [...x, op("<"), ...a, word("or"), ...x, op(">"), ...b]
      : [...x, op(">="), ...a, word("and"), ...x, op("<="), ...b];
    const group: Group = { t: "group", open: "(", items: inner };
    return rewriteBetween([...items.slice(0, xStart), group, ...items.slice(bStart + bLen)]);
  }
  return items;
}

/** PostgreSQL deparses LIKE as its operator `~~`; spell it as written. */
const LIKE_OPERATORS: Record<string, string[]> = {
  "~~": ["like"],
  "~~*": ["ilike"],
  "!~~": ["not", "like"],
  "!~~*": ["not", "ilike"],
};

function likeKeywords(items: Node[]): Node[] {
  return items.flatMap((n): Node[] => (n.t === "op" && LIKE_OPERATORS[n.v] ? LIKE_OPERATORS[n.v]!.map((v) => ({ t: "word", v })) : [n]));
}

function transform(items: Node[]): Node[] {
  let out = items.map((n) => (isGroup(n) ? { ...n, items: transform(n.items) } : n));
  out = likeKeywords(out);
  out = typedLiterals(out);
  out = rewriteBetween(out);
  out = unquote(out);
  out = canonicalNow(out);
  out = stripCasts(out);
  out = rewriteInLists(out);
  out = dropRedundantParens(out);
  return out;
}

// ---------------------------------------------------------------- rendering

/** Words that are followed by a space before a parenthesis (keywords, not function names). */
const SPACED_BEFORE_PAREN = new Set([
  "and",
  "or",
  "not",
  "in",
  "any",
  "all",
  "some",
  "exists",
  "is",
  "like",
  "ilike",
  "between",
  "values",
  "then",
  "else",
  "when",
  "case",
]);

function isOperatorWord(n: Node | undefined): boolean {
  return isWord(n) && (n.v in WORD_OPERATORS || n.v === "not" || SPACED_BEFORE_PAREN.has(n.v));
}

function render(items: Node[]): string {
  let out = "";
  for (let i = 0; i < items.length; i++) {
    const n = items[i]!;
    const prev = items[i - 1];
    let piece: string;
    let space = i > 0;
    if (n.t === "group") {
      piece = n.open === "(" ? `(${render(n.items)})` : `[${render(n.items)}]`;
      if (n.open === "(") {
        if (prev && (prev.t === "qid" || prev.t === "group" || (prev.t === "word" && !SPACED_BEFORE_PAREN.has(prev.v)))) space = false;
      } else if (prev && (prev.t === "qid" || prev.t === "group" || prev.t === "word" || prev.t === "str")) {
        space = false;
      }
    } else if (n.t === "qid") {
      piece = `"${n.v.replaceAll('"', '""')}"`;
    } else {
      piece = n.v;
      if (n.t === "punct" && n.v !== ";") space = false;
    }
    if (prev && (isPunct(prev, "::") || isPunct(prev, "."))) space = false;
    if (prev && isPunct(prev, ",")) space = true;
    if (isOp(prev, "-") || isOp(prev, "+")) {
      const before = items[i - 2];
      if (before === undefined || before.t === "op" || isPunct(before, ",") || isPunct(before, "::") || isOperatorWord(before))
        space = false;
    }
    out += (space ? " " : "") + piece;
  }
  return out;
}

/**
 * Results of normalizeExpression, which is pure: a schema repeats a handful of
 * defaults (`0`, `true`, `now()`) across thousands of columns, on both sides of a diff.
 */
const normalized = new Map<string, string>();
const NORMALIZED_KEPT = 20_000;

/** Canonical spelling of one SQL expression; text it cannot tokenize is only trimmed. */
export function normalizeExpression(sql: string): string {
  const known = normalized.get(sql);
  if (known !== undefined) return known;
  const result = normalizeExpressionUncached(sql);
  if (normalized.size >= NORMALIZED_KEPT) normalized.clear();
  normalized.set(sql, result);
  return result;
}

function normalizeExpressionUncached(sql: string): string {
  const pre = mapDatetimeSpellings(sql.trim());
  const tokens = tokenize(pre);
  const tree = tokens && parse(tokens);
  if (!tree) return pre.replace(/\s+/g, " ");
  let items = tree;
  let text = render(items);
  // Each pass can expose more removable parentheses/casts; stop at the fixed point.
  for (let round = 0; round < 8; round++) {
    items = transform(items);
    const next = render(items);
    if (next === text) break;
    text = next;
  }
  return text;
}

/**
 * TypeORM's `normalizeDatetimeFunction` spells CURRENT_DATE and friends as casts of
 * the string 'now'; PostgreSQL reports the SQL keyword. Map the casts to the keyword.
 */
function mapDatetimeSpellings(sql: string): string {
  return sql.replace(
    /\(\s*'now'\s*::\s*text\s*\)\s*::\s*(date|(timestamp|time)\s*(\(\s*\d+\s*\))?\s+(with|without)\s+time\s+zone)/gi,
    (_m, _all: string, kind: string | undefined, precision: string | undefined, zone: string | undefined) => {
      if (!kind) return "current_date";
      const p = precision ? precision.replace(/\s+/g, "") : "";
      const withZone = zone!.toLowerCase() === "with";
      if (kind.toLowerCase() === "timestamp") return withZone ? (p ? `current_timestamp${p}` : "now()") : `localtimestamp${p}`;
      return withZone ? `current_time${p}` : `localtime${p}`;
    },
  );
}

const DATETIME_KEYWORD = /^(current_timestamp|current_date|current_time|localtimestamp|localtime)(\(\d+\))?$/;

/**
 * The DDL spelling of a canonical default: a datetime keyword default (`current_date`,
 * `current_timestamp(6)`, `localtime`…) is written as TypeORM's `normalizeDatetimeFunction`
 * writes it (`('now'::text)::timestamp(6) with time zone`). PostgreSQL stores a default
 * as written and TypeORM's schema builder compares the stored text with its own
 * spelling, so writing the keyword would leave TypeORM wanting to reset every such
 * default. Both spellings normalise to the same canonical keyword, so autogen sees no
 * difference either way. Any other expression is returned unchanged.
 */
export function typeormDefaultSpelling(expression: string): string {
  const match = DATETIME_KEYWORD.exec(expression.trim());
  if (!match) return expression;
  const [, name, precision = ""] = match;
  const now = "('now'::text)";
  switch (name) {
    case "current_timestamp":
      return precision ? `${now}::timestamp${precision} with time zone` : "now()";
    case "current_date":
      return `${now}::date`;
    case "current_time":
      return `${now}::time${precision} with time zone`;
    case "localtimestamp":
      return `${now}::timestamp${precision} without time zone`;
    default:
      return `${now}::time${precision} without time zone`;
  }
}
