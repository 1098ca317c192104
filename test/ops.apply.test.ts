import { describe, expect, it } from "vitest";
import { applyOp, applyOps, SchemaStateError } from "../src/ops/apply.js";
import type { Op } from "../src/ops/ops.js";
import type { ColumnIR, SchemaIR, TableIR } from "../src/schema/ir.js";

const col = (name: string, extra: Partial<ColumnIR> = {}): ColumnIR => ({
  name,
  type: "integer",
  nullable: false,
  ...extra,
});

function table(name: string, extra: Partial<TableIR> = {}): TableIR {
  return { name, columns: [], foreignKeys: [], uniques: [], indexes: [], checks: [], ...extra };
}

/** users <- posts (author_id), users has a self reference (manager_id) and an enum column. */
function blog(): SchemaIR {
  return {
    dialect: "postgres",
    enums: [{ name: "user_role", values: ["admin", "member"] }],
    tables: [
      table("posts", {
        columns: [col("id"), col("author_id"), col("title", { type: "character varying", length: 100 })],
        primaryKey: { name: "PK_posts", columns: ["id"] },
        foreignKeys: [
          {
            name: "FK_posts_author",
            columns: ["author_id"],
            referencedTable: "users",
            referencedColumns: ["id"],
            onDelete: "CASCADE",
            onUpdate: "NO ACTION",
          },
        ],
        indexes: [{ name: "IDX_posts_author_title", columns: ["author_id", "title"], unique: false }],
        uniques: [{ name: "UQ_posts_title", columns: ["title"] }],
        checks: [{ name: "CHK_posts_title", expression: "length(title) > 0" }],
      }),
      table("users", {
        columns: [
          col("id", { generated: "increment" }),
          col("manager_id", { nullable: true }),
          col("role", { type: "enum", enumName: "user_role", enumValues: ["admin", "member"], default: "'member'" }),
        ],
        primaryKey: { name: "PK_users", columns: ["id"] },
        foreignKeys: [
          {
            name: "FK_users_manager",
            columns: ["manager_id"],
            referencedTable: "users",
            referencedColumns: ["id"],
            onDelete: "SET NULL",
            onUpdate: "NO ACTION",
          },
        ],
      }),
    ],
  };
}

const users = (s: SchemaIR) => s.tables.find((t) => t.name === "users")!;
const posts = (s: SchemaIR) => s.tables.find((t) => t.name === "posts")!;

describe("applyOp", () => {
  it("never mutates its input and shares nothing with it or the op", () => {
    const before = blog();
    const frozen = structuredClone(before);
    const column = col("bio", { type: "text", nullable: true });
    const after = applyOp(before, { kind: "addColumn", table: "users", column });
    expect(before).toEqual(frozen);
    column.type = "mutated";
    expect(users(after).columns.at(-1)!.type).toBe("text");
    users(after).columns[0]!.name = "changed";
    expect(users(before).columns[0]!.name).toBe("id");
  });

  it("createTable inserts at the sorted place; dropTable removes", () => {
    const after = applyOp(blog(), { kind: "createTable", table: table("tags", { columns: [col("id")] }) });
    expect(after.tables.map((t) => t.name)).toEqual(["posts", "tags", "users"]);
    const dropped = applyOp(after, { kind: "dropTable", table: table("tags") });
    expect(dropped).toEqual(blog());
  });

  it("renameTable re-sorts and updates foreign keys pointing at it, including self references", () => {
    const after = applyOp(blog(), { kind: "renameTable", from: "users", to: "accounts" });
    expect(after.tables.map((t) => t.name)).toEqual(["accounts", "posts"]);
    expect(posts(after).foreignKeys[0]!.referencedTable).toBe("accounts");
    expect(after.tables[0]!.foreignKeys[0]!.referencedTable).toBe("accounts");
  });

  it("renameColumn renames inside PK, indexes, uniques, own FKs and FKs of other tables", () => {
    let after = applyOp(blog(), { kind: "renameColumn", table: "users", from: "id", to: "user_id" });
    expect(users(after).columns.map((c) => c.name)).toEqual(["user_id", "manager_id", "role"]);
    expect(users(after).primaryKey).toEqual({ name: "PK_users", columns: ["user_id"] });
    expect(users(after).foreignKeys[0]!.referencedColumns).toEqual(["user_id"]);
    expect(posts(after).foreignKeys[0]!.referencedColumns).toEqual(["user_id"]);

    after = applyOp(blog(), { kind: "renameColumn", table: "posts", from: "title", to: "headline" });
    expect(posts(after).indexes[0]!.columns).toEqual(["author_id", "headline"]);
    expect(posts(after).uniques[0]!.columns).toEqual(["headline"]);
    after = applyOp(after, { kind: "renameColumn", table: "posts", from: "author_id", to: "writer_id" });
    expect(posts(after).foreignKeys[0]!.columns).toEqual(["writer_id"]);
  });

  it("dropColumn removes the column and, like the database, this table's keys and indexes on it", () => {
    const after = applyOp(blog(), { kind: "dropColumn", table: "posts", column: col("title") });
    expect(posts(after).columns.map((c) => c.name)).toEqual(["id", "author_id"]);
    expect(posts(after).indexes).toEqual([]);
    expect(posts(after).uniques).toEqual([]);
    expect(posts(after).foreignKeys).toHaveLength(1);
  });

  it("alterColumn replaces the whole type and sets or removes attributes ({to: null} removes)", () => {
    const after = applyOp(blog(), {
      kind: "alterColumn",
      table: "posts",
      column: "title",
      changes: {
        type: { from: { type: "character varying", length: 100 }, to: { type: "text" } },
        nullable: { from: false, to: true },
        default: { from: null, to: "'untitled'" },
        comment: { from: null, to: "shown in lists" },
        collation: { from: null, to: "C" },
      },
    });
    expect(posts(after).columns[2]).toEqual({
      name: "title",
      type: "text",
      nullable: true,
      default: "'untitled'",
      comment: "shown in lists",
      collation: "C",
    });
    const back = applyOp(blog(), {
      kind: "alterColumn",
      table: "users",
      column: "id",
      changes: {
        generated: { from: "increment", to: "identity" },
        identity: { from: null, to: "ALWAYS" },
      },
    });
    expect(users(back).columns[0]).toEqual({
      name: "id",
      type: "integer",
      nullable: false,
      generated: "identity",
      identity: "ALWAYS",
    });
    const noDefault = applyOp(blog(), {
      kind: "alterColumn",
      table: "users",
      column: "role",
      changes: { default: { from: "'member'", to: null } },
    });
    expect(users(noDefault).columns[2]).not.toHaveProperty("default");
  });

  it("primary keys, indexes, uniques, checks and foreign keys are created and dropped", () => {
    const ops: Op[] = [
      { kind: "dropPrimaryKey", table: "posts", primaryKey: { name: "PK_posts", columns: ["id"] } },
      { kind: "createPrimaryKey", table: "posts", primaryKey: { name: "PK_posts2", columns: ["id", "author_id"] } },
      {
        kind: "createIndex",
        table: "posts",
        index: { name: "IDX_a", columns: ["title"], unique: true, where: "id > 0" },
      },
      { kind: "dropUnique", table: "posts", unique: { columns: ["title"] } },
      { kind: "createUnique", table: "posts", unique: { columns: ["author_id"] } },
      { kind: "dropCheck", table: "posts", check: { expression: "length(title) > 0" } },
      { kind: "createCheck", table: "posts", check: { name: "CHK_b", expression: "id > 0" } },
      {
        kind: "dropForeignKey",
        table: "posts",
        foreignKey: {
          columns: ["author_id"],
          referencedTable: "users",
          referencedColumns: ["id"],
          onDelete: "CASCADE",
          onUpdate: "NO ACTION",
        },
      },
    ];
    const after = applyOps(blog(), ops);
    expect(posts(after).primaryKey).toEqual({ name: "PK_posts2", columns: ["id", "author_id"] });
    expect(posts(after).indexes.map((i) => i.name)).toEqual(["IDX_a", "IDX_posts_author_title"]);
    expect(posts(after).uniques).toEqual([{ columns: ["author_id"] }]);
    expect(posts(after).checks).toEqual([{ name: "CHK_b", expression: "id > 0" }]);
    expect(posts(after).foreignKeys).toEqual([]);
  });

  it("createEnum/alterEnum update schema.enums and columns using the enum; dropEnum removes it", () => {
    let after = applyOp(blog(), {
      kind: "alterEnum",
      name: "user_role",
      values: { from: ["admin", "member"], to: ["admin", "member", "guest"] },
    });
    expect(after.enums).toEqual([{ name: "user_role", values: ["admin", "member", "guest"] }]);
    expect(users(after).columns[2]!.enumValues).toEqual(["admin", "member", "guest"]);
    after = applyOp(after, { kind: "createEnum", enum: { name: "a_status", values: ["on"] } });
    expect(after.enums.map((e) => e.name)).toEqual(["a_status", "user_role"]);
    after = applyOp(after, { kind: "dropEnum", enum: { name: "a_status", values: ["on"] } });
    expect(after.enums.map((e) => e.name)).toEqual(["user_role"]);
  });

  it("exclusion constraints are created and dropped by name; the list goes when empty", () => {
    const exclusion = { name: "XCL_t", expression: "USING gist (title WITH =)" };
    const after = applyOp(blog(), { kind: "createExclusion", table: "posts", exclusion });
    expect(posts(after).exclusions).toEqual([exclusion]);
    expect(() => applyOp(after, { kind: "createExclusion", table: "posts", exclusion })).toThrow(
      /Exclusion constraint "XCL_t" on "posts" already exists/,
    );
    const back = applyOp(after, { kind: "dropExclusion", table: "posts", exclusion });
    expect(posts(back)).not.toHaveProperty("exclusions");
    expect(() => applyOp(back, { kind: "dropExclusion", table: "posts", exclusion })).toThrow(/does not exist/);
  });

  it("extensions and views are kept sorted by name; their lists go when empty", () => {
    let after = applyOps(blog(), [
      { kind: "createExtension", extension: { name: "uuid-ossp" } },
      { kind: "createExtension", extension: { name: "hstore" } },
      { kind: "createView", view: { name: "v2", expression: "SELECT 2" } },
      { kind: "createView", view: { name: "v1", expression: "SELECT 1" } },
    ]);
    expect(after.extensions).toEqual([{ name: "hstore" }, { name: "uuid-ossp" }]);
    expect(after.views?.map((v) => v.name)).toEqual(["v1", "v2"]);
    expect(() => applyOp(after, { kind: "createView", view: { name: "v1", expression: "x" } })).toThrow(/View "v1" already exists/);
    expect(() => applyOp(after, { kind: "createExtension", extension: { name: "hstore" } })).toThrow(/Extension "hstore" already exists/);
    after = applyOps(after, [
      { kind: "dropExtension", extension: { name: "hstore" } },
      { kind: "dropExtension", extension: { name: "uuid-ossp" } },
      { kind: "dropView", view: { name: "v1", expression: "SELECT 1" } },
      { kind: "dropView", view: { name: "v2", expression: "SELECT 2" } },
    ]);
    expect(after).toEqual(blog());
    expect(() => applyOp(after, { kind: "dropView", view: { name: "v1", expression: "x" } })).toThrow(/View "v1" does not exist/);
  });

  it("execute changes nothing", () => {
    expect(applyOp(blog(), { kind: "execute", sql: "UPDATE users SET role = 'admin'" })).toEqual(blog());
  });

  it.each<[string, Op, RegExp]>([
    ["absent table", { kind: "dropTable", table: table("nope") }, /Table "nope" does not exist/],
    ["duplicate table", { kind: "createTable", table: table("users") }, /Table "users" already exists/],
    ["rename onto an existing table", { kind: "renameTable", from: "users", to: "posts" }, /Table "posts" already exists/],
    ["absent column", { kind: "dropColumn", table: "users", column: col("ghost") }, /Column "users.ghost" does not exist/],
    ["alter absent column", { kind: "alterColumn", table: "users", column: "ghost", changes: {} }, /Column "users.ghost"/],
    ["duplicate column", { kind: "addColumn", table: "users", column: col("role") }, /Column "users.role" already exists/],
    ["rename onto an existing column", { kind: "renameColumn", table: "users", from: "id", to: "role" }, /"users.role" already exists/],
    [
      "absent index",
      { kind: "dropIndex", table: "users", index: { name: "IDX_x", columns: [], unique: false } },
      /Index "IDX_x" on "users" does not exist/,
    ],
    [
      "index on absent column",
      { kind: "createIndex", table: "users", index: { name: "IDX_x", columns: ["ghost"], unique: false } },
      /"users.ghost"/,
    ],
    [
      "absent unnamed unique",
      { kind: "dropUnique", table: "users", unique: { columns: ["role"] } },
      /unnamed unique constraint on \(role\) on "users"/,
    ],
    ["second primary key", { kind: "createPrimaryKey", table: "users", primaryKey: { columns: ["id"] } }, /already has a primary key/],
    ["absent enum", { kind: "alterEnum", name: "mood", values: { from: [], to: ["x"] } }, /Enum "mood" does not exist/],
    ["absent check", { kind: "dropCheck", table: "users", check: { name: "CHK_x", expression: "1" } }, /check constraint "CHK_x"/],
  ])("throws naming the object: %s", (_name, op, message) => {
    expect(() => applyOp(blog(), op)).toThrow(SchemaStateError);
    expect(() => applyOp(blog(), op)).toThrow(message);
  });
});
