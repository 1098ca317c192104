import { describe, expect, it } from "vitest";
import { applyOps } from "../src/ops/apply.js";
import type { Op, OpKind } from "../src/ops/ops.js";
import { IrreversibleOpError, isReversible, reverseOp, reverseOps } from "../src/ops/reverse.js";
import type { ColumnIR, ForeignKeyIR, SchemaIR, TableIR } from "../src/schema/ir.js";

const col = (name: string, extra: Partial<ColumnIR> = {}): ColumnIR => ({
  name,
  type: "integer",
  nullable: false,
  ...extra,
});
const table = (name: string, extra: Partial<TableIR> = {}): TableIR => ({
  name,
  columns: [col("id")],
  foreignKeys: [],
  uniques: [],
  indexes: [],
  checks: [],
  ...extra,
});
const fk = (columns: string[], referencedTable: string, extra: Partial<ForeignKeyIR> = {}): ForeignKeyIR => ({
  columns,
  referencedTable,
  referencedColumns: ["id"],
  onDelete: "NO ACTION",
  onUpdate: "NO ACTION",
  ...extra,
});

/** One op of every kind, with every optional field that kind can carry. */
const everyKind: Op[] = [
  { kind: "createTable", table: table("t", { primaryKey: { name: "PK_t", columns: ["id"] }, comment: "c" }) },
  { kind: "dropTable", table: table("t", { foreignKeys: [fk(["id"], "u", { name: "FK" })] }) },
  { kind: "renameTable", from: "a", to: "b" },
  { kind: "addColumn", table: "t", column: col("c", { default: "0", comment: "x", collation: "C" }) },
  { kind: "dropColumn", table: "t", column: col("c", { type: "character varying", length: 20 }) },
  { kind: "renameColumn", table: "t", from: "a", to: "b" },
  {
    kind: "alterColumn",
    table: "t",
    column: "c",
    changes: {
      type: { from: { type: "character varying", length: 10 }, to: { type: "text" } },
      nullable: { from: true, to: false },
      default: { from: null, to: "'x'" },
      generated: { from: "increment", to: null },
      identity: { from: null, to: "BY DEFAULT" },
      comment: { from: "a", to: "b" },
      collation: { from: "C", to: null },
    },
  },
  { kind: "createPrimaryKey", table: "t", primaryKey: { name: "PK", columns: ["id"] } },
  { kind: "dropPrimaryKey", table: "t", primaryKey: { columns: ["id"] } },
  {
    kind: "createIndex",
    table: "t",
    index: { name: "I", columns: ["a"], unique: true, where: "a > 0", method: "gin" },
  },
  { kind: "dropIndex", table: "t", index: { name: "I", columns: ["a"], unique: false } },
  { kind: "createForeignKey", table: "t", foreignKey: fk(["u_id"], "u", { deferrable: "INITIALLY DEFERRED" }) },
  { kind: "dropForeignKey", table: "t", foreignKey: fk(["u_id"], "u", { name: "FK", onDelete: "CASCADE" }) },
  { kind: "createUnique", table: "t", unique: { name: "UQ", columns: ["a", "b"] } },
  { kind: "dropUnique", table: "t", unique: { columns: ["a"] } },
  { kind: "createCheck", table: "t", check: { name: "CHK", expression: "a > 0" } },
  { kind: "dropCheck", table: "t", check: { expression: "a > 0" } },
  { kind: "createEnum", enum: { name: "e", values: ["x", "y"] } },
  { kind: "dropEnum", enum: { name: "e", values: ["x"] } },
  { kind: "alterEnum", name: "e", values: { from: ["x"], to: ["x", "y"] } },
  { kind: "execute", sql: "UPDATE t SET a = 1", reverseSql: "UPDATE t SET a = 0", dialect: "postgres" },
  { kind: "createExclusion", table: "t", exclusion: { name: "XCL", expression: "USING gist (a WITH &&)" } },
  { kind: "dropExclusion", table: "t", exclusion: { name: "XCL", expression: "USING gist (a WITH &&)" } },
  { kind: "createExtension", extension: { name: "hstore" } },
  { kind: "dropExtension", extension: { name: "uuid-ossp" } },
  { kind: "createView", view: { name: "v", expression: "SELECT 1", materialized: true } },
  { kind: "dropView", view: { name: "v", expression: "SELECT 2" } },
];

const opposite: Partial<Record<OpKind, OpKind>> = {
  createTable: "dropTable",
  addColumn: "dropColumn",
  createPrimaryKey: "dropPrimaryKey",
  createIndex: "dropIndex",
  createForeignKey: "dropForeignKey",
  createUnique: "dropUnique",
  createCheck: "dropCheck",
  createEnum: "dropEnum",
  createExclusion: "dropExclusion",
  createExtension: "dropExtension",
  createView: "dropView",
};

describe("reverseOp", () => {
  it("covers every op kind", () => {
    const kinds = new Set(everyKind.map((op) => op.kind));
    expect(kinds.size).toBe(27);
  });

  it.each(everyKind.map((op) => [op.kind, op] as const))("reverse(reverse(%s)) deep-equals the op", (_kind, op) => {
    expect(reverseOp(reverseOp(op))).toEqual(op);
  });

  it.each(everyKind.map((op) => [op.kind, op] as const))("reverse(%s) is the opposite kind with the same payload", (kind, op) => {
    const reversed = reverseOp(op);
    const twin = opposite[kind] ?? Object.entries(opposite).find(([, v]) => v === kind)?.[0] ?? kind;
    expect(reversed.kind).toBe(twin);
    if (twin !== kind) {
      const { kind: _a, ...payload } = op;
      const { kind: _b, ...reversedPayload } = reversed;
      expect(reversedPayload).toEqual(payload);
    } else {
      expect(reversed).not.toEqual(op);
    }
  });

  it("swaps every from/to of an alterColumn", () => {
    const reversed = reverseOp(everyKind[6]!);
    expect(reversed).toMatchObject({
      changes: {
        type: { from: { type: "text" }, to: { type: "character varying", length: 10 } },
        generated: { from: null, to: "increment" },
        collation: { from: null, to: "C" },
      },
    });
  });

  it("refuses an execute without reverse SQL with a typed error", () => {
    const op: Op = { kind: "execute", sql: "DELETE FROM t" };
    expect(isReversible(op)).toBe(false);
    expect(isReversible(everyKind[20]!)).toBe(true);
    expect(() => reverseOp(op)).toThrow(IrreversibleOpError);
    try {
      reverseOps([everyKind[0]!, op]);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(IrreversibleOpError);
      expect((err as IrreversibleOpError).op).toEqual(op);
      expect((err as Error).message).toContain("DELETE FROM t");
    }
  });

  it("shares nothing with the op it reverses", () => {
    const op = structuredClone(everyKind[0]!) as Extract<Op, { kind: "createTable" }>;
    const reversed = reverseOp(op) as Extract<Op, { kind: "dropTable" }>;
    reversed.table.columns[0]!.name = "changed";
    expect(op.table.columns[0]!.name).toBe("id");
  });
});

function richSchema(): SchemaIR {
  return {
    dialect: "postgres",
    enums: [
      { name: "post_state", values: ["draft", "published"] },
      { name: "user_role", values: ["admin", "member"] },
    ],
    tables: [
      table("comments", {
        columns: [col("id"), col("post_id"), col("body", { type: "text" }), col("legacy", { nullable: true })],
        primaryKey: { name: "PK_comments", columns: ["id"] },
        foreignKeys: [fk(["post_id"], "posts", { name: "FK_comments_post", onDelete: "CASCADE" })],
        indexes: [{ name: "IDX_comments_post", columns: ["post_id"], unique: false }],
      }),
      table("posts", {
        columns: [
          col("id", { generated: "identity", identity: "ALWAYS" }),
          col("author_id"),
          col("title", { type: "character varying", length: 100 }),
          col("state", {
            type: "enum",
            enumName: "post_state",
            enumValues: ["draft", "published"],
            default: "'draft'",
          }),
        ],
        primaryKey: { name: "PK_posts", columns: ["id"] },
        foreignKeys: [fk(["author_id"], "users", { name: "FK_posts_author" })],
        uniques: [{ name: "UQ_posts_title", columns: ["author_id", "title"] }],
        checks: [{ name: "CHK_posts_title", expression: "length(title) > 0" }],
        comment: "blog posts",
      }),
      table("users", {
        columns: [
          col("id", { generated: "increment" }),
          col("email", { type: "character varying", length: 255, collation: "C" }),
          col("role", { type: "enum", enumName: "user_role", enumValues: ["admin", "member"] }),
        ],
        primaryKey: { name: "PK_users", columns: ["id"] },
        indexes: [{ name: "IDX_users_email", columns: ["email"], unique: true, where: "email IS NOT NULL" }],
      }),
    ],
  };
}

describe("reverseOps", () => {
  it("reverses each op and the order", () => {
    const ops = everyKind.slice(0, 3);
    expect(reverseOps(ops)).toEqual([reverseOp(ops[2]!), reverseOp(ops[1]!), reverseOp(ops[0]!)]);
  });

  it("applying ops then their reverse gives back a rich schema exactly", () => {
    const ops: Op[] = [
      { kind: "createEnum", enum: { name: "mood", values: ["ok", "meh"] } },
      { kind: "alterEnum", name: "user_role", values: { from: ["admin", "member"], to: ["admin", "guest"] } },
      {
        kind: "dropForeignKey",
        table: "comments",
        foreignKey: fk(["post_id"], "posts", { name: "FK_comments_post", onDelete: "CASCADE" }),
      },
      {
        kind: "dropIndex",
        table: "comments",
        index: { name: "IDX_comments_post", columns: ["post_id"], unique: false },
      },
      // A drop carries the table as it is at that point: without what was dropped before.
      { kind: "dropTable", table: { ...richSchema().tables[0]!, foreignKeys: [], indexes: [] } },
      { kind: "renameTable", from: "users", to: "accounts" },
      { kind: "renameColumn", table: "accounts", from: "email", to: "mail" },
      { kind: "renameColumn", table: "accounts", from: "id", to: "account_id" },
      { kind: "dropUnique", table: "posts", unique: { name: "UQ_posts_title", columns: ["author_id", "title"] } },
      { kind: "dropCheck", table: "posts", check: { name: "CHK_posts_title", expression: "length(title) > 0" } },
      {
        kind: "alterColumn",
        table: "posts",
        column: "title",
        changes: {
          type: { from: { type: "character varying", length: 100 }, to: { type: "text" } },
          nullable: { from: false, to: true },
          comment: { from: null, to: "headline" },
        },
      },
      { kind: "alterColumn", table: "posts", column: "state", changes: { default: { from: "'draft'", to: null } } },
      {
        kind: "alterColumn",
        table: "posts",
        column: "id",
        changes: { generated: { from: "identity", to: "increment" }, identity: { from: "ALWAYS", to: null } },
      },
      { kind: "dropPrimaryKey", table: "posts", primaryKey: { name: "PK_posts", columns: ["id"] } },
      { kind: "createPrimaryKey", table: "posts", primaryKey: { name: "PK_posts_2", columns: ["id", "author_id"] } },
      {
        kind: "addColumn",
        table: "posts",
        column: col("mood", { type: "enum", enumName: "mood", enumValues: ["ok", "meh"], nullable: true }),
      },
      {
        kind: "createIndex",
        table: "posts",
        index: { name: "IDX_posts_mood", columns: ["mood"], unique: false, method: "hash" },
      },
      { kind: "createCheck", table: "posts", check: { expression: "id > 0" } },
      { kind: "createUnique", table: "posts", unique: { columns: ["mood"] } },
      {
        kind: "createTable",
        table: table("tags", { columns: [col("id"), col("post_id")], primaryKey: { columns: ["id"] } }),
      },
      { kind: "createForeignKey", table: "tags", foreignKey: fk(["post_id"], "posts") },
      { kind: "execute", sql: "UPDATE posts SET mood = 'ok'", reverseSql: "UPDATE posts SET mood = NULL" },
    ];
    const before = richSchema();
    const after = applyOps(before, ops);
    expect(after).not.toEqual(before);
    expect(after.tables.map((t) => t.name)).toEqual(["accounts", "posts", "tags"]);
    expect(after.tables[1]!.foreignKeys[0]!).toMatchObject({
      referencedTable: "accounts",
      referencedColumns: ["account_id"],
    });
    expect(applyOps(after, reverseOps(ops))).toEqual(before);
  });
});
