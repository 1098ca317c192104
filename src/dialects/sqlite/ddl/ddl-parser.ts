/**
 * Parses the CREATE TABLE / CREATE INDEX text SQLite keeps in sqlite_master.
 *
 * The pragmas report columns, keys and indexes, but not what only the DDL text holds:
 * constraint names (`CONSTRAINT "FK_…" FOREIGN KEY`), CHECK expressions, TypeORM's inline
 * enum checks (`"role" varchar CHECK( "role" IN ('a','b') )`), AUTOINCREMENT, COLLATE,
 * generated-column expressions, DEFERRABLE and partial-index predicates. This follows
 * SQLite's grammar (https://sqlite.org/lang_createtable.html) closely enough to read any
 * DDL SQLite itself accepted; expressions are kept as their verbatim source text.
 */
import type { ReferentialAction } from "../../../schema/ir.js";
import { SqlSyntaxError, isIdentifier, isKeyword, isPunct, tokenize, type Token } from "./sql-tokens.js";

export interface ParsedForeignKeyClause {
  referencedTable: string;
  /** Empty when the clause names no columns (it then means the parent's primary key). */
  referencedColumns: string[];
  onDelete?: ReferentialAction;
  onUpdate?: ReferentialAction;
  deferrable?: "INITIALLY IMMEDIATE" | "INITIALLY DEFERRED";
}

export interface ParsedColumn {
  name: string;
  /** Declared type as written (may be empty). */
  declaredType: string;
  primaryKey?: { name?: string; autoincrement: boolean };
  notNull: boolean;
  /** Inline UNIQUE constraints (named when written `CONSTRAINT x UNIQUE`). */
  uniques: { name?: string }[];
  checks: { name?: string; expression: string }[];
  /** Default expression text (outer parentheses of `DEFAULT (x)` removed). */
  default?: string;
  collation?: string;
  references: (ParsedForeignKeyClause & { name?: string })[];
  generated?: { expression: string; stored: boolean };
}

export type ParsedTableConstraint =
  | { kind: "primaryKey"; name?: string; columns: string[] }
  | { kind: "unique"; name?: string; columns: string[] }
  | { kind: "check"; name?: string; expression: string }
  | ({ kind: "foreignKey"; name?: string; columns: string[] } & ParsedForeignKeyClause);

export interface ParsedTable {
  name: string;
  columns: ParsedColumn[];
  constraints: ParsedTableConstraint[];
  withoutRowid: boolean;
  strict: boolean;
}

export interface ParsedIndex {
  name: string;
  table: string;
  unique: boolean;
  /** Column names; an expression's source text where the index term is an expression. */
  columns: string[];
  where?: string;
}

const CONFLICT_ACTIONS = ["ROLLBACK", "ABORT", "FAIL", "IGNORE", "REPLACE"];
const COLUMN_CONSTRAINT_STARTS = [
  "CONSTRAINT",
  "PRIMARY",
  "NOT",
  "NULL",
  "UNIQUE",
  "CHECK",
  "DEFAULT",
  "COLLATE",
  "REFERENCES",
  "GENERATED",
  "AS",
];
const TABLE_CONSTRAINT_STARTS = ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"];

/** A cursor over one statement's tokens with the helpers the grammar needs. */
class Cursor {
  private pos = 0;
  constructor(
    readonly sql: string,
    private readonly tokens: Token[],
  ) {}

  peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }
  next(): Token {
    const token = this.tokens[this.pos];
    if (!token) throw this.error("Unexpected end of statement");
    this.pos += 1;
    return token;
  }
  atEnd(): boolean {
    return this.pos >= this.tokens.length || isPunct(this.peek(), ";");
  }
  error(message: string): SqlSyntaxError {
    return new SqlSyntaxError(message, this.sql, this.peek()?.start ?? this.sql.length);
  }

  acceptKeyword(...keywords: string[]): string | undefined {
    const token = this.peek();
    if (!isKeyword(token, ...keywords)) return undefined;
    this.pos += 1;
    return token!.value.toUpperCase();
  }
  expectKeyword(...keywords: string[]): string {
    const found = this.acceptKeyword(...keywords);
    if (!found) throw this.error(`Expected ${keywords.join(" or ")}`);
    return found;
  }
  acceptPunct(value: string): boolean {
    if (!isPunct(this.peek(), value)) return false;
    this.pos += 1;
    return true;
  }
  expectPunct(value: string): void {
    if (!this.acceptPunct(value)) throw this.error(`Expected "${value}"`);
  }

  /** An object or column name: bare word, quoted identifier, or (as SQLite tolerates) a string. */
  name(): string {
    const token = this.next();
    if (token.kind === "word" || token.kind === "quoted" || token.kind === "string") return token.value;
    throw new SqlSyntaxError("Expected a name", this.sql, token.start);
  }

  /** `[schema.]name`, returning the last part. */
  qualifiedName(): string {
    let name = this.name();
    while (this.acceptPunct(".")) name = this.name();
    return name;
  }

  /**
   * Consumes a parenthesised group (the cursor is on its "(") and returns the source
   * text between the parentheses, trimmed.
   */
  parenthesised(): string {
    const open = this.next();
    if (!isPunct(open, "(")) throw new SqlSyntaxError('Expected "("', this.sql, open.start);
    let depth = 1;
    for (;;) {
      const token = this.next();
      if (isPunct(token, "(")) depth += 1;
      else if (isPunct(token, ")")) {
        depth -= 1;
        if (depth === 0) return this.sql.slice(open.end, token.start).trim();
      }
    }
  }

  /**
   * Consumes tokens up to (not including) a "," or ")" at the current nesting depth, or a
   * bare keyword in `stopWords`; returns the source text they span.
   */
  until(stopWords: readonly string[] = []): { text: string; tokens: Token[] } {
    const taken: Token[] = [];
    let depth = 0;
    for (;;) {
      const token = this.peek();
      if (!token || isPunct(token, ";")) break;
      if (depth === 0 && (isPunct(token, ",") || isPunct(token, ")"))) break;
      if (depth === 0 && taken.length > 0 && isKeyword(token, ...stopWords)) break;
      if (isPunct(token, "(")) depth += 1;
      if (isPunct(token, ")")) depth -= 1;
      taken.push(this.next());
    }
    const first = taken[0];
    const last = taken[taken.length - 1];
    return { text: first && last ? this.sql.slice(first.start, last.end) : "", tokens: taken };
  }

  skipConflictClause(): void {
    if (isKeyword(this.peek(), "ON") && isKeyword(this.peek(1), "CONFLICT")) {
      this.pos += 2;
      this.expectKeyword(...CONFLICT_ACTIONS);
    }
  }
}

function referentialAction(cursor: Cursor): ReferentialAction {
  const word = cursor.expectKeyword("SET", "CASCADE", "RESTRICT", "NO");
  if (word === "SET") return cursor.expectKeyword("NULL", "DEFAULT") === "NULL" ? "SET NULL" : "SET DEFAULT";
  if (word === "NO") {
    cursor.expectKeyword("ACTION");
    return "NO ACTION";
  }
  return word as ReferentialAction;
}

/** After REFERENCES: `table [(cols)] [ON DELETE|UPDATE action | MATCH name]* [[NOT] DEFERRABLE [INITIALLY …]]` */
function foreignKeyClause(cursor: Cursor): ParsedForeignKeyClause {
  const clause: ParsedForeignKeyClause = { referencedTable: cursor.name(), referencedColumns: [] };
  if (isPunct(cursor.peek(), "(")) clause.referencedColumns = nameList(cursor);
  for (;;) {
    if (cursor.acceptKeyword("ON")) {
      const event = cursor.expectKeyword("DELETE", "UPDATE");
      const action = referentialAction(cursor);
      if (event === "DELETE") clause.onDelete = action;
      else clause.onUpdate = action;
    } else if (cursor.acceptKeyword("MATCH")) {
      cursor.name();
    } else break;
  }
  const not = isKeyword(cursor.peek(), "NOT") && isKeyword(cursor.peek(1), "DEFERRABLE");
  if (not || isKeyword(cursor.peek(), "DEFERRABLE")) {
    if (not) cursor.next();
    cursor.next();
    let initially: "DEFERRED" | "IMMEDIATE" = "IMMEDIATE";
    if (cursor.acceptKeyword("INITIALLY")) {
      initially = cursor.expectKeyword("DEFERRED", "IMMEDIATE") as "DEFERRED" | "IMMEDIATE";
    }
    // NOT DEFERRABLE … behaves as an ordinary immediate constraint: nothing to record.
    if (!not) clause.deferrable = `INITIALLY ${initially}`;
  }
  return clause;
}

/** `(a, b)` — plain names only (FOREIGN KEY column lists). */
function nameList(cursor: Cursor): string[] {
  cursor.expectPunct("(");
  const names = [cursor.name()];
  while (cursor.acceptPunct(",")) names.push(cursor.name());
  cursor.expectPunct(")");
  return names;
}

/**
 * `(term [COLLATE x] [ASC|DESC], …)`: a column name where the term is a single name,
 * else the expression's source text.
 */
function indexedColumns(cursor: Cursor): string[] {
  cursor.expectPunct("(");
  const columns: string[] = [];
  do {
    const { text, tokens } = cursor.until(["COLLATE", "ASC", "DESC"]);
    if (tokens.length === 0) throw cursor.error("Expected an indexed column");
    const only = tokens[0]!;
    columns.push(tokens.length === 1 && (only.kind === "word" || only.kind === "quoted" || only.kind === "string") ? only.value : text);
    if (cursor.acceptKeyword("COLLATE")) cursor.name();
    cursor.acceptKeyword("ASC", "DESC");
  } while (cursor.acceptPunct(","));
  cursor.expectPunct(")");
  return columns;
}

/** DEFAULT's operand: `(expr)`, a signed number, a literal, or a bare identifier. */
function defaultValue(cursor: Cursor): string {
  if (isPunct(cursor.peek(), "(")) return cursor.parenthesised();
  const first = cursor.next();
  if ((isPunct(first, "-") || isPunct(first, "+")) && cursor.peek()?.kind === "number") {
    const number = cursor.next();
    return cursor.sql.slice(first.start, number.end);
  }
  return cursor.sql.slice(first.start, first.end);
}

function columnDefinition(cursor: Cursor): ParsedColumn {
  const column: ParsedColumn = {
    name: cursor.name(),
    declaredType: "",
    notNull: false,
    uniques: [],
    checks: [],
    references: [],
  };
  if (!isKeyword(cursor.peek(), ...COLUMN_CONSTRAINT_STARTS)) {
    column.declaredType = cursor.until(COLUMN_CONSTRAINT_STARTS).text;
  }
  let constraintName: string | undefined;
  for (;;) {
    const token = cursor.peek();
    if (!token || isPunct(token, ",") || isPunct(token, ")")) break;
    const word = cursor.expectKeyword(...COLUMN_CONSTRAINT_STARTS);
    const name = constraintName;
    constraintName = undefined;
    switch (word) {
      case "CONSTRAINT":
        constraintName = cursor.name();
        break;
      case "PRIMARY": {
        cursor.expectKeyword("KEY");
        cursor.acceptKeyword("ASC", "DESC");
        cursor.skipConflictClause();
        const autoincrement = cursor.acceptKeyword("AUTOINCREMENT") !== undefined;
        column.primaryKey = { ...(name !== undefined ? { name } : {}), autoincrement };
        break;
      }
      case "NOT":
        cursor.expectKeyword("NULL");
        cursor.skipConflictClause();
        column.notNull = true;
        break;
      case "NULL":
        cursor.skipConflictClause();
        break;
      case "UNIQUE":
        cursor.skipConflictClause();
        column.uniques.push(name !== undefined ? { name } : {});
        break;
      case "CHECK":
        column.checks.push({ ...(name !== undefined ? { name } : {}), expression: cursor.parenthesised() });
        break;
      case "DEFAULT":
        column.default = defaultValue(cursor);
        break;
      case "COLLATE":
        column.collation = cursor.name();
        break;
      case "REFERENCES":
        column.references.push({ ...(name !== undefined ? { name } : {}), ...foreignKeyClause(cursor) });
        break;
      case "GENERATED":
      case "AS": {
        if (word === "GENERATED") {
          cursor.expectKeyword("ALWAYS");
          cursor.expectKeyword("AS");
        }
        const expression = cursor.parenthesised();
        const stored = cursor.acceptKeyword("STORED", "VIRTUAL") === "STORED";
        column.generated = { expression, stored };
        break;
      }
    }
  }
  return column;
}

function tableConstraint(cursor: Cursor): ParsedTableConstraint {
  const name = cursor.acceptKeyword("CONSTRAINT") ? cursor.name() : undefined;
  const named = name !== undefined ? { name } : {};
  const word = cursor.expectKeyword("PRIMARY", "UNIQUE", "CHECK", "FOREIGN");
  switch (word) {
    case "PRIMARY": {
      cursor.expectKeyword("KEY");
      const columns = indexedColumns(cursor);
      cursor.skipConflictClause();
      return { kind: "primaryKey", ...named, columns };
    }
    case "UNIQUE": {
      const columns = indexedColumns(cursor);
      cursor.skipConflictClause();
      return { kind: "unique", ...named, columns };
    }
    case "CHECK":
      return { kind: "check", ...named, expression: cursor.parenthesised() };
    default: {
      cursor.expectKeyword("KEY");
      const columns = nameList(cursor);
      cursor.expectKeyword("REFERENCES");
      return { kind: "foreignKey", ...named, columns, ...foreignKeyClause(cursor) };
    }
  }
}

function cursorFor(sql: string): Cursor {
  return new Cursor(sql, tokenize(sql));
}

export function parseCreateTable(sql: string): ParsedTable {
  const cursor = cursorFor(sql);
  cursor.expectKeyword("CREATE");
  cursor.acceptKeyword("TEMP", "TEMPORARY");
  cursor.expectKeyword("TABLE");
  if (cursor.acceptKeyword("IF")) {
    cursor.expectKeyword("NOT");
    cursor.expectKeyword("EXISTS");
  }
  const table: ParsedTable = { name: cursor.qualifiedName(), columns: [], constraints: [], withoutRowid: false, strict: false };
  if (isKeyword(cursor.peek(), "AS")) throw cursor.error("CREATE TABLE … AS SELECT has no column definitions to read");
  cursor.expectPunct("(");
  do {
    if (isKeyword(cursor.peek(), ...TABLE_CONSTRAINT_STARTS)) table.constraints.push(tableConstraint(cursor));
    else table.columns.push(columnDefinition(cursor));
  } while (cursor.acceptPunct(","));
  cursor.expectPunct(")");
  while (!cursor.atEnd()) {
    const option = cursor.expectKeyword("WITHOUT", "STRICT");
    if (option === "WITHOUT") {
      const rowid = cursor.next();
      if (!isIdentifier(rowid, "rowid")) throw cursor.error("Expected ROWID");
      table.withoutRowid = true;
    } else table.strict = true;
    cursor.acceptPunct(",");
  }
  return table;
}

export function parseCreateIndex(sql: string): ParsedIndex {
  const cursor = cursorFor(sql);
  cursor.expectKeyword("CREATE");
  const unique = cursor.acceptKeyword("UNIQUE") !== undefined;
  cursor.expectKeyword("INDEX");
  if (cursor.acceptKeyword("IF")) {
    cursor.expectKeyword("NOT");
    cursor.expectKeyword("EXISTS");
  }
  const name = cursor.qualifiedName();
  cursor.expectKeyword("ON");
  const table = cursor.name();
  const columns = indexedColumns(cursor);
  const index: ParsedIndex = { name, table, unique, columns };
  const where = cursor.peek();
  if (isKeyword(where, "WHERE")) {
    cursor.next();
    const rest = sql.slice(where!.end).trim().replace(/;\s*$/, "").trim();
    if (rest) index.where = rest;
  }
  return index;
}

/**
 * The values of TypeORM's inline enum check (`"role" IN ('a','b')`) when `expression`
 * is exactly that for `column`; undefined for any other expression.
 */
export function enumValuesOfCheck(expression: string, column: string): string[] | undefined {
  let tokens: Token[];
  try {
    tokens = tokenize(expression);
  } catch {
    return undefined;
  }
  if (!isIdentifier(tokens[0], column) || !isKeyword(tokens[1], "IN") || !isPunct(tokens[2], "(")) return undefined;
  const values: string[] = [];
  let i = 3;
  for (;;) {
    const value = tokens[i];
    if (value?.kind !== "string") return undefined;
    values.push(value.value);
    if (isPunct(tokens[i + 1], ",")) i += 2;
    else if (isPunct(tokens[i + 1], ")") && i + 2 === tokens.length) return values;
    else return undefined;
  }
}
