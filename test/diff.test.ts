/**
 * The differ, table-driven: (current IR, target IR, rename hints) -> exact ops and findings.
 * Every case also checks that the ops, applied to `current`, give `target` (column order
 * aside: ADD COLUMN appends), unless the case says the difference cannot be expressed.
 */
import { describe, expect, it } from "vitest";
import { diffSchemas } from "../src/diff/diff.js";
import type { DiffOptions, Finding, RenameHints } from "../src/diff/types.js";
import { UserError } from "../src/errors.js";
import { applyOps } from "../src/ops/apply.js";
import { compareNames } from "../src/schema/compare.js";
import type { Op } from "../src/ops/ops.js";
import type { ColumnIR, EnumIR, ForeignKeyIR, SchemaIR, TableIR } from "../src/schema/ir.js";
import { postgresDiffPhases } from "../src/dialects/postgres/diff-phases.js";

// ---- builders -------------------------------------------------------------------------

const int = (name: string, extra: Partial<ColumnIR> = {}): ColumnIR => ({
  name,
  type: "integer",
  nullable: false,
  ...extra,
});
const vc = (name: string, length: number, extra: Partial<ColumnIR> = {}): ColumnIR => ({
  name,
  type: "character varying",
  length,
  nullable: false,
  ...extra,
});
const text = (name: string, extra: Partial<ColumnIR> = {}): ColumnIR => ({
  name,
  type: "text",
  nullable: false,
  ...extra,
});

function table(name: string, columns: ColumnIR[], extra: Partial<TableIR> = {}): TableIR {
  return { name, columns, foreignKeys: [], uniques: [], indexes: [], checks: [], ...extra };
}
/** A table with an integer `id` primary key named PK_<name>, plus `columns`. */
function keyed(name: string, columns: ColumnIR[] = [], extra: Partial<TableIR> = {}): TableIR {
  return table(name, [int("id"), ...columns], { primaryKey: { name: `PK_${name}`, columns: ["id"] }, ...extra });
}
function fk(name: string | undefined, columns: string[], referencedTable: string, extra: Partial<ForeignKeyIR> = {}): ForeignKeyIR {
  const out: ForeignKeyIR = {
    columns,
    referencedTable,
    referencedColumns: ["id"],
    onDelete: "NO ACTION",
    onUpdate: "NO ACTION",
    ...extra,
  };
  if (name !== undefined) out.name = name;
  return out;
}
function schema(tables: TableIR[], enums: EnumIR[] = []): SchemaIR {
  return {
    dialect: "postgres",
    tables: [...tables].sort((a, b) => compareNames(a.name, b.name)),
    enums: [...enums].sort((a, b) => compareNames(a.name, b.name)),
  };
}
const enumCol = (name: string, enumName: string, values: string[], extra: Partial<ColumnIR> = {}): ColumnIR => ({
  name,
  type: "enum",
  enumName,
  enumValues: values,
  nullable: false,
  ...extra,
});

/** Column order aside, and unnamed items in a stable order: what the differ promises. */
function canonical(s: SchemaIR): SchemaIR {
  const key = (x: { name?: string }) => (x.name ?? "") + "\0" + JSON.stringify(x);
  const sort = <T extends { name?: string }>(xs: T[]) => [...xs].sort((a, b) => compareNames(key(a), key(b)));
  return {
    ...s,
    enums: sort(s.enums),
    tables: sort(s.tables).map((t) => ({
      ...t,
      columns: sort(t.columns),
      foreignKeys: sort(t.foreignKeys),
      uniques: sort(t.uniques),
      indexes: sort(t.indexes),
      checks: sort(t.checks),
    })),
  };
}

// ---- cases -----------------------------------------------------------------------------

const integerToBigint = (from: { type: string }, to: { type: string }) => from.type === "integer" && to.type === "bigint";

interface Case {
  name: string;
  current: SchemaIR;
  target: SchemaIR;
  renames?: RenameHints;
  options?: Omit<DiffOptions, "renames">;
  wantOps: Op[];
  /** Each finding, partially matched, in order. Omitted = no findings. */
  wantFindings?: Partial<Finding>[];
  /** The target holds a difference no op can express, so applying the ops does not reach it. */
  inexpressible?: boolean;
}

const users = keyed("users", [vc("email", 255)]);
const posts = keyed("posts", [int("author_id"), text("body")], {
  foreignKeys: [fk("FK_posts_author", ["author_id"], "users")],
});
const blog = schema([users, posts]);

const cases: Case[] = [
  // -- nothing to do --
  { name: "identical schemas give no ops", current: blog, target: structuredClone(blog), wantOps: [] },
  { name: "two empty schemas give no ops", current: schema([]), target: schema([]), wantOps: [] },

  // -- tables --
  {
    name: "new table is created with everything inline",
    current: schema([]),
    target: schema([keyed("tags", [vc("label", 50)], { indexes: [{ name: "IDX_tags_label", columns: ["label"], unique: true }] })]),
    wantOps: [
      {
        kind: "createTable",
        table: keyed("tags", [vc("label", 50)], {
          indexes: [{ name: "IDX_tags_label", columns: ["label"], unique: true }],
        }),
      },
    ],
  },
  {
    name: "missing table is dropped, carrying its definition, with a destructive finding",
    current: schema([users, keyed("logs")]),
    target: schema([users]),
    wantOps: [{ kind: "dropTable", table: keyed("logs") }],
    wantFindings: [{ kind: "destructive", opIndex: 0, table: "logs" }],
  },

  // -- columns --
  {
    name: "new column is added",
    current: schema([users]),
    target: schema([keyed("users", [vc("email", 255), text("bio", { nullable: true })])]),
    wantOps: [{ kind: "addColumn", table: "users", column: text("bio", { nullable: true }) }],
  },
  {
    name: "missing column is dropped with a destructive finding",
    current: schema([keyed("users", [vc("email", 255), text("bio", { nullable: true })])]),
    target: schema([users]),
    wantOps: [{ kind: "dropColumn", table: "users", column: text("bio", { nullable: true }) }],
    wantFindings: [{ kind: "destructive", opIndex: 0, table: "users", column: "bio" }],
  },
  {
    name: "longer varchar is an alterColumn carrying the full type both ways",
    current: schema([users]),
    target: schema([keyed("users", [vc("email", 320)])]),
    wantOps: [
      {
        kind: "alterColumn",
        table: "users",
        column: "email",
        changes: {
          type: { from: { type: "character varying", length: 255 }, to: { type: "character varying", length: 320 } },
        },
      },
    ],
  },
  {
    name: "shorter varchar is a narrowing alterColumn",
    current: schema([users]),
    target: schema([keyed("users", [vc("email", 100)])]),
    wantOps: [
      {
        kind: "alterColumn",
        table: "users",
        column: "email",
        changes: {
          type: { from: { type: "character varying", length: 255 }, to: { type: "character varying", length: 100 } },
        },
      },
    ],
    wantFindings: [{ kind: "destructive", opIndex: 0, table: "users", column: "email" }],
  },
  {
    name: "unbounded varchar getting a length is narrowing",
    current: schema([keyed("users", [{ name: "email", type: "character varying", nullable: false }])]),
    target: schema([users]),
    wantOps: [
      {
        kind: "alterColumn",
        table: "users",
        column: "email",
        changes: { type: { from: { type: "character varying" }, to: { type: "character varying", length: 255 } } },
      },
    ],
    wantFindings: [{ kind: "destructive", opIndex: 0 }],
  },
  {
    name: "lower numeric precision is narrowing",
    current: schema([keyed("prices", [{ name: "amount", type: "numeric", precision: 12, scale: 2, nullable: false }])]),
    target: schema([keyed("prices", [{ name: "amount", type: "numeric", precision: 8, scale: 2, nullable: false }])]),
    wantOps: [
      {
        kind: "alterColumn",
        table: "prices",
        column: "amount",
        changes: {
          type: { from: { type: "numeric", precision: 12, scale: 2 }, to: { type: "numeric", precision: 8, scale: 2 } },
        },
      },
    ],
    wantFindings: [{ kind: "destructive", opIndex: 0, message: expect.stringContaining("lower precision") }],
  },
  {
    name: "higher precision and scale is a plain alterColumn",
    current: schema([keyed("prices", [{ name: "amount", type: "numeric", precision: 8, scale: 2, nullable: false }])]),
    target: schema([keyed("prices", [{ name: "amount", type: "numeric", precision: 12, scale: 4, nullable: false }])]),
    wantOps: [
      {
        kind: "alterColumn",
        table: "prices",
        column: "amount",
        changes: {
          type: { from: { type: "numeric", precision: 8, scale: 2 }, to: { type: "numeric", precision: 12, scale: 4 } },
        },
      },
    ],
  },
  {
    name: "base type change is an alterColumn, not a drop and add",
    // The dialect's word that integer -> bigint keeps every value (see test/widening.test.ts).
    options: { widens: integerToBigint },
    current: schema([keyed("counters", [int("hits")])]),
    target: schema([keyed("counters", [{ name: "hits", type: "bigint", nullable: false }])]),
    wantOps: [
      {
        kind: "alterColumn",
        table: "counters",
        column: "hits",
        changes: { type: { from: { type: "integer" }, to: { type: "bigint" } } },
      },
    ],
  },
  {
    name: "nullable to NOT NULL is destructive",
    current: schema([keyed("users", [vc("email", 255, { nullable: true })])]),
    target: schema([users]),
    wantOps: [{ kind: "alterColumn", table: "users", column: "email", changes: { nullable: { from: true, to: false } } }],
    wantFindings: [{ kind: "destructive", opIndex: 0, message: expect.stringContaining("NOT NULL") }],
  },
  {
    name: "NOT NULL to nullable is a plain alterColumn",
    current: schema([users]),
    target: schema([keyed("users", [vc("email", 255, { nullable: true })])]),
    wantOps: [{ kind: "alterColumn", table: "users", column: "email", changes: { nullable: { from: false, to: true } } }],
  },
  {
    name: "defaults added, removed and changed use null for 'no default'",
    current: schema([keyed("posts", [text("a"), text("b", { default: "'x'" }), text("c", { default: "'old'" })])]),
    target: schema([keyed("posts", [text("a", { default: "'new'" }), text("b"), text("c", { default: "'new'" })])]),
    wantOps: [
      { kind: "alterColumn", table: "posts", column: "a", changes: { default: { from: null, to: "'new'" } } },
      { kind: "alterColumn", table: "posts", column: "b", changes: { default: { from: "'x'", to: null } } },
      { kind: "alterColumn", table: "posts", column: "c", changes: { default: { from: "'old'", to: "'new'" } } },
    ],
  },
  {
    name: "generation strategy and identity changes",
    current: schema([table("t", [int("id", { generated: "increment" })])]),
    target: schema([table("t", [int("id", { generated: "identity", identity: "BY DEFAULT" })])]),
    wantOps: [
      {
        kind: "alterColumn",
        table: "t",
        column: "id",
        changes: { generated: { from: "increment", to: "identity" }, identity: { from: null, to: "BY DEFAULT" } },
      },
    ],
  },
  {
    name: "column comment and collation changes",
    current: schema([keyed("users", [vc("email", 255, { comment: "old" })])]),
    target: schema([keyed("users", [vc("email", 255, { collation: "C" })])]),
    wantOps: [
      {
        kind: "alterColumn",
        table: "users",
        column: "email",
        changes: { comment: { from: "old", to: null }, collation: { from: null, to: "C" } },
      },
    ],
  },
  {
    name: "several attribute changes of one column are one alterColumn",
    current: schema([keyed("users", [vc("email", 100, { nullable: true, default: "''" })])]),
    target: schema([keyed("users", [vc("email", 200, { comment: "login" })])]),
    wantOps: [
      {
        kind: "alterColumn",
        table: "users",
        column: "email",
        changes: {
          type: { from: { type: "character varying", length: 100 }, to: { type: "character varying", length: 200 } },
          nullable: { from: true, to: false },
          default: { from: "''", to: null },
          comment: { from: null, to: "login" },
        },
      },
    ],
    wantFindings: [{ kind: "destructive", opIndex: 0, message: expect.stringContaining("NOT NULL") }],
  },
  {
    name: "array to scalar is narrowing",
    current: schema([keyed("posts", [text("tags", { array: true })])]),
    target: schema([keyed("posts", [text("tags")])]),
    wantOps: [
      {
        kind: "alterColumn",
        table: "posts",
        column: "tags",
        changes: { type: { from: { type: "text", array: true }, to: { type: "text" } } },
      },
    ],
    wantFindings: [{ kind: "destructive", opIndex: 0, message: expect.stringContaining("array") }],
  },
  {
    name: "inline enum values (no enum type) change through alterColumn; removal is destructive",
    current: schema([keyed("posts", [text("state", { enumValues: ["draft", "live", "gone"] })])]),
    target: schema([keyed("posts", [text("state", { enumValues: ["draft", "live", "archived"] })])]),
    wantOps: [
      {
        kind: "alterColumn",
        table: "posts",
        column: "state",
        changes: {
          type: {
            from: { type: "text", enumValues: ["draft", "live", "gone"] },
            to: { type: "text", enumValues: ["draft", "live", "archived"] },
          },
        },
      },
    ],
    wantFindings: [{ kind: "destructive", opIndex: 0, message: expect.stringContaining("'gone'") }],
  },
  {
    name: "inline enum value added is not destructive",
    current: schema([keyed("posts", [text("state", { enumValues: ["draft"] })])]),
    target: schema([keyed("posts", [text("state", { enumValues: ["draft", "live"] })])]),
    wantOps: [
      {
        kind: "alterColumn",
        table: "posts",
        column: "state",
        changes: {
          type: { from: { type: "text", enumValues: ["draft"] }, to: { type: "text", enumValues: ["draft", "live"] } },
        },
      },
    ],
  },
  {
    name: "computed column change is unsupported and generates nothing",
    current: schema([keyed("t", [int("a"), int("b", { computed: { expression: "a + 1", stored: true } })])]),
    target: schema([keyed("t", [int("a"), int("b", { computed: { expression: "a + 2", stored: true } })])]),
    wantOps: [],
    wantFindings: [{ kind: "unsupported", table: "t", column: "b", message: expect.stringContaining("a + 2") }],
    inexpressible: true,
  },
  {
    name: "table comment change is unsupported and generates nothing",
    current: schema([keyed("t", [], { comment: "a" })]),
    target: schema([keyed("t", [], { comment: "b" })]),
    wantOps: [],
    wantFindings: [{ kind: "unsupported", table: "t", message: expect.stringContaining("Comment of table t") }],
    inexpressible: true,
  },

  // -- primary keys --
  {
    name: "changed primary key is dropped and re-created",
    current: schema([keyed("memberships", [int("user_id"), int("group_id")])]),
    target: schema([
      table("memberships", [int("id"), int("user_id"), int("group_id")], {
        primaryKey: { name: "PK_m2", columns: ["user_id", "group_id"] },
      }),
    ]),
    wantOps: [
      { kind: "dropPrimaryKey", table: "memberships", primaryKey: { name: "PK_memberships", columns: ["id"] } },
      {
        kind: "createPrimaryKey",
        table: "memberships",
        primaryKey: { name: "PK_m2", columns: ["user_id", "group_id"] },
      },
    ],
  },
  {
    name: "primary key added to a table that had none",
    current: schema([table("t", [int("id")])]),
    target: schema([table("t", [int("id")], { primaryKey: { name: "PK_t", columns: ["id"] } })]),
    wantOps: [{ kind: "createPrimaryKey", table: "t", primaryKey: { name: "PK_t", columns: ["id"] } }],
  },
  {
    name: "unnamed primary key removed: unnamedConstraint finding",
    current: schema([table("t", [int("id")], { primaryKey: { columns: ["id"] } })]),
    target: schema([table("t", [int("id")])]),
    wantOps: [{ kind: "dropPrimaryKey", table: "t", primaryKey: { columns: ["id"] } }],
    wantFindings: [{ kind: "unnamedConstraint", opIndex: 0, table: "t" }],
  },
  {
    name: "primary key named on one side only is unchanged",
    current: schema([table("t", [int("id")], { primaryKey: { columns: ["id"] } })]),
    target: schema([table("t", [int("id")], { primaryKey: { name: "PK_t", columns: ["id"] } })]),
    wantOps: [],
    inexpressible: true,
  },

  // -- foreign keys --
  {
    name: "new foreign key on an existing table",
    current: schema([users, keyed("posts", [int("author_id"), text("body")])]),
    target: blog,
    wantOps: [{ kind: "createForeignKey", table: "posts", foreignKey: fk("FK_posts_author", ["author_id"], "users") }],
  },
  {
    name: "removed foreign key",
    current: blog,
    target: schema([users, keyed("posts", [int("author_id"), text("body")])]),
    wantOps: [{ kind: "dropForeignKey", table: "posts", foreignKey: fk("FK_posts_author", ["author_id"], "users") }],
  },
  {
    name: "foreign key with a changed action is dropped and re-created",
    current: blog,
    target: schema([users, { ...posts, foreignKeys: [fk("FK_posts_author", ["author_id"], "users", { onDelete: "CASCADE" })] }]),
    wantOps: [
      { kind: "dropForeignKey", table: "posts", foreignKey: fk("FK_posts_author", ["author_id"], "users") },
      {
        kind: "createForeignKey",
        table: "posts",
        foreignKey: fk("FK_posts_author", ["author_id"], "users", { onDelete: "CASCADE" }),
      },
    ],
  },
  {
    name: "foreign key with a new name is dropped and re-created",
    current: blog,
    target: schema([users, { ...posts, foreignKeys: [fk("FK_new", ["author_id"], "users")] }]),
    wantOps: [
      { kind: "dropForeignKey", table: "posts", foreignKey: fk("FK_posts_author", ["author_id"], "users") },
      { kind: "createForeignKey", table: "posts", foreignKey: fk("FK_new", ["author_id"], "users") },
    ],
  },
  {
    name: "foreign key unnamed on one side is matched by structure and unchanged",
    current: schema([users, { ...posts, foreignKeys: [fk(undefined, ["author_id"], "users")] }]),
    target: blog,
    wantOps: [],
    inexpressible: true,
  },
  {
    name: "unnamed foreign key dropped: unnamedConstraint finding",
    current: schema([users, { ...posts, foreignKeys: [fk(undefined, ["author_id"], "users")] }]),
    target: schema([users, { ...posts, foreignKeys: [] }]),
    wantOps: [{ kind: "dropForeignKey", table: "posts", foreignKey: fk(undefined, ["author_id"], "users") }],
    wantFindings: [{ kind: "unnamedConstraint", opIndex: 0, table: "posts", message: expect.stringContaining("(author_id)") }],
  },
  {
    name: "unnamed constraints droppable by the dialect: no finding",
    current: schema([users, { ...posts, foreignKeys: [fk(undefined, ["author_id"], "users")] }]),
    target: schema([users, { ...posts, foreignKeys: [] }]),
    options: { unnamedConstraintsDroppable: true },
    wantOps: [{ kind: "dropForeignKey", table: "posts", foreignKey: fk(undefined, ["author_id"], "users") }],
  },
  {
    name: "altered type of a referenced column: foreign key dropped before and re-created after",
    options: { widens: integerToBigint },
    current: blog,
    target: schema([
      keyed("users", [vc("email", 255)], {
        columns: [{ name: "id", type: "bigint", nullable: false }, vc("email", 255)],
      }),
      keyed("posts", [{ name: "author_id", type: "bigint", nullable: false }, text("body")], {
        foreignKeys: [fk("FK_posts_author", ["author_id"], "users")],
      }),
    ]),
    wantOps: [
      { kind: "dropForeignKey", table: "posts", foreignKey: fk("FK_posts_author", ["author_id"], "users") },
      {
        kind: "alterColumn",
        table: "posts",
        column: "author_id",
        changes: { type: { from: { type: "integer" }, to: { type: "bigint" } } },
      },
      {
        kind: "alterColumn",
        table: "users",
        column: "id",
        changes: { type: { from: { type: "integer" }, to: { type: "bigint" } } },
      },
      { kind: "createForeignKey", table: "posts", foreignKey: fk("FK_posts_author", ["author_id"], "users") },
    ],
  },
  {
    name: "replaced primary key that a foreign key references: foreign key rebuilt around it",
    current: blog,
    target: schema([{ ...users, primaryKey: { name: "PK_users_v2", columns: ["id"] } }, posts]),
    wantOps: [
      { kind: "dropForeignKey", table: "posts", foreignKey: fk("FK_posts_author", ["author_id"], "users") },
      { kind: "dropPrimaryKey", table: "users", primaryKey: { name: "PK_users", columns: ["id"] } },
      { kind: "createPrimaryKey", table: "users", primaryKey: { name: "PK_users_v2", columns: ["id"] } },
      { kind: "createForeignKey", table: "posts", foreignKey: fk("FK_posts_author", ["author_id"], "users") },
    ],
  },
  {
    name: "dropped column with a foreign key: the foreign key goes first",
    current: blog,
    target: schema([users, keyed("posts", [text("body")])]),
    wantOps: [
      { kind: "dropForeignKey", table: "posts", foreignKey: fk("FK_posts_author", ["author_id"], "users") },
      { kind: "dropColumn", table: "posts", column: int("author_id") },
    ],
    wantFindings: [{ kind: "destructive", opIndex: 1, column: "author_id" }],
  },
  {
    name: "new column with a new foreign key and index: column first, then index, then foreign key",
    current: schema([users, keyed("posts", [text("body")])]),
    target: schema([
      users,
      keyed("posts", [text("body"), int("author_id")], {
        foreignKeys: [fk("FK_posts_author", ["author_id"], "users")],
        indexes: [{ name: "IDX_posts_author", columns: ["author_id"], unique: false }],
      }),
    ]),
    wantOps: [
      { kind: "addColumn", table: "posts", column: int("author_id") },
      {
        kind: "createIndex",
        table: "posts",
        index: { name: "IDX_posts_author", columns: ["author_id"], unique: false },
      },
      { kind: "createForeignKey", table: "posts", foreignKey: fk("FK_posts_author", ["author_id"], "users") },
    ],
  },

  // -- uniques, checks, indexes --
  {
    name: "unique constraints added, removed and changed",
    current: schema([
      keyed("t", [int("a"), int("b")], {
        uniques: [
          { name: "UQ_a", columns: ["a"] },
          { name: "UQ_b", columns: ["b"] },
        ],
      }),
    ]),
    target: schema([
      keyed("t", [int("a"), int("b")], {
        uniques: [
          { name: "UQ_ab", columns: ["a", "b"] },
          { name: "UQ_b", columns: ["b", "a"] },
        ],
      }),
    ]),
    wantOps: [
      { kind: "dropUnique", table: "t", unique: { name: "UQ_a", columns: ["a"] } },
      { kind: "dropUnique", table: "t", unique: { name: "UQ_b", columns: ["b"] } },
      { kind: "createUnique", table: "t", unique: { name: "UQ_ab", columns: ["a", "b"] } },
      { kind: "createUnique", table: "t", unique: { name: "UQ_b", columns: ["b", "a"] } },
    ],
  },
  {
    name: "unnamed unique matched by columns is unchanged; an unnamed one dropped is reported",
    current: schema([keyed("t", [int("a"), int("b")], { uniques: [{ columns: ["a"] }, { columns: ["b"] }] })]),
    target: schema([keyed("t", [int("a"), int("b")], { uniques: [{ columns: ["a"] }] })]),
    wantOps: [{ kind: "dropUnique", table: "t", unique: { columns: ["b"] } }],
    wantFindings: [{ kind: "unnamedConstraint", opIndex: 0, message: expect.stringContaining("unique constraint on t (b)") }],
  },
  {
    name: "check with a changed expression is dropped and re-created",
    current: schema([keyed("t", [int("a")], { checks: [{ name: "CHK_a", expression: "a > 0" }] })]),
    target: schema([keyed("t", [int("a")], { checks: [{ name: "CHK_a", expression: "a >= 0" }] })]),
    wantOps: [
      { kind: "dropCheck", table: "t", check: { name: "CHK_a", expression: "a > 0" } },
      { kind: "createCheck", table: "t", check: { name: "CHK_a", expression: "a >= 0" } },
    ],
  },
  {
    name: "unnamed checks are matched by expression",
    current: schema([keyed("t", [int("a")], { checks: [{ expression: "a > 0" }] })]),
    target: schema([keyed("t", [int("a")], { checks: [{ expression: "a > 0" }, { expression: "a < 10" }] })]),
    wantOps: [{ kind: "createCheck", table: "t", check: { expression: "a < 10" } }],
  },
  {
    name: "index with a changed predicate, method or uniqueness is dropped and re-created",
    current: schema([
      keyed("t", [int("a"), int("b")], {
        indexes: [
          { name: "IDX_a", columns: ["a"], unique: false },
          { name: "IDX_b", columns: ["b"], unique: false },
        ],
      }),
    ]),
    target: schema([
      keyed("t", [int("a"), int("b")], {
        indexes: [
          { name: "IDX_a", columns: ["a"], unique: false, where: "a > 0", method: "hash" },
          { name: "IDX_b", columns: ["b"], unique: true },
        ],
      }),
    ]),
    wantOps: [
      { kind: "dropIndex", table: "t", index: { name: "IDX_a", columns: ["a"], unique: false } },
      { kind: "dropIndex", table: "t", index: { name: "IDX_b", columns: ["b"], unique: false } },
      {
        kind: "createIndex",
        table: "t",
        index: { name: "IDX_a", columns: ["a"], unique: false, where: "a > 0", method: "hash" },
      },
      { kind: "createIndex", table: "t", index: { name: "IDX_b", columns: ["b"], unique: true } },
    ],
  },
  {
    name: "dropped column with an index and a unique: both go before the column",
    current: schema([
      keyed("t", [int("a"), int("b")], {
        indexes: [{ name: "IDX_ab", columns: ["a", "b"], unique: false }],
        uniques: [{ name: "UQ_b", columns: ["b"] }],
      }),
    ]),
    target: schema([keyed("t", [int("a")])]),
    wantOps: [
      { kind: "dropIndex", table: "t", index: { name: "IDX_ab", columns: ["a", "b"], unique: false } },
      { kind: "dropUnique", table: "t", unique: { name: "UQ_b", columns: ["b"] } },
      { kind: "dropColumn", table: "t", column: int("b") },
    ],
    wantFindings: [{ kind: "destructive", opIndex: 2 }],
  },

  // -- enums --
  {
    name: "new enum is created before the table that uses it",
    current: schema([]),
    target: schema(
      [keyed("users", [enumCol("role", "user_role", ["admin", "member"])])],
      [{ name: "user_role", values: ["admin", "member"] }],
    ),
    wantOps: [
      { kind: "createEnum", enum: { name: "user_role", values: ["admin", "member"] } },
      { kind: "createTable", table: keyed("users", [enumCol("role", "user_role", ["admin", "member"])]) },
    ],
  },
  {
    name: "unused enum is dropped after the table that used it",
    current: schema([keyed("users", [enumCol("role", "user_role", ["admin"])])], [{ name: "user_role", values: ["admin"] }]),
    target: schema([]),
    wantOps: [
      { kind: "dropTable", table: keyed("users", [enumCol("role", "user_role", ["admin"])]) },
      { kind: "dropEnum", enum: { name: "user_role", values: ["admin"] } },
    ],
    wantFindings: [{ kind: "destructive", opIndex: 0 }],
  },
  {
    name: "enum value added: alterEnum only, the columns follow the type",
    current: schema([keyed("users", [enumCol("role", "user_role", ["admin"])])], [{ name: "user_role", values: ["admin"] }]),
    target: schema(
      [keyed("users", [enumCol("role", "user_role", ["admin", "guest"])])],
      [{ name: "user_role", values: ["admin", "guest"] }],
    ),
    wantOps: [{ kind: "alterEnum", name: "user_role", values: { from: ["admin"], to: ["admin", "guest"] } }],
  },
  {
    name: "enum value removed is destructive",
    current: schema(
      [keyed("users", [enumCol("role", "user_role", ["admin", "guest"])])],
      [{ name: "user_role", values: ["admin", "guest"] }],
    ),
    target: schema([keyed("users", [enumCol("role", "user_role", ["admin"])])], [{ name: "user_role", values: ["admin"] }]),
    wantOps: [{ kind: "alterEnum", name: "user_role", values: { from: ["admin", "guest"], to: ["admin"] } }],
    wantFindings: [{ kind: "destructive", opIndex: 0, message: expect.stringContaining("'guest'") }],
  },
  {
    name: "enum altered before a column default that uses the new value",
    current: schema([keyed("users", [enumCol("role", "user_role", ["admin"])])], [{ name: "user_role", values: ["admin"] }]),
    target: schema(
      [keyed("users", [enumCol("role", "user_role", ["admin", "guest"], { default: "'guest'" })])],
      [{ name: "user_role", values: ["admin", "guest"] }],
    ),
    wantOps: [
      { kind: "alterEnum", name: "user_role", values: { from: ["admin"], to: ["admin", "guest"] } },
      { kind: "alterColumn", table: "users", column: "role", changes: { default: { from: null, to: "'guest'" } } },
    ],
  },
  {
    name: "column moved to a new enum type: create enum, alter column, drop old enum",
    current: schema([keyed("users", [enumCol("role", "role_old", ["a"])])], [{ name: "role_old", values: ["a"] }]),
    target: schema([keyed("users", [enumCol("role", "role_new", ["a", "b"])])], [{ name: "role_new", values: ["a", "b"] }]),
    wantOps: [
      { kind: "createEnum", enum: { name: "role_new", values: ["a", "b"] } },
      {
        kind: "alterColumn",
        table: "users",
        column: "role",
        changes: {
          type: {
            from: { type: "enum", enumName: "role_old", enumValues: ["a"] },
            to: { type: "enum", enumName: "role_new", enumValues: ["a", "b"] },
          },
        },
      },
      { kind: "dropEnum", enum: { name: "role_old", values: ["a"] } },
    ],
  },

  // -- dependency order of whole tables --
  {
    name: "new tables are created referenced-first with inline foreign keys",
    current: schema([]),
    target: schema([keyed("a_posts", [int("author_id")], { foreignKeys: [fk("FK_author", ["author_id"], "z_users")] }), keyed("z_users")]),
    wantOps: [
      { kind: "createTable", table: keyed("z_users") },
      {
        kind: "createTable",
        table: keyed("a_posts", [int("author_id")], { foreignKeys: [fk("FK_author", ["author_id"], "z_users")] }),
      },
    ],
  },
  {
    name: "new tables in a foreign-key cycle: tables first, the closing foreign key after",
    current: schema([]),
    target: schema([
      keyed("a", [int("b_id")], { foreignKeys: [fk("FK_a_b", ["b_id"], "b")] }),
      keyed("b", [int("a_id")], { foreignKeys: [fk("FK_b_a", ["a_id"], "a")] }),
    ]),
    wantOps: [
      { kind: "createTable", table: keyed("a", [int("b_id")]) },
      { kind: "createTable", table: keyed("b", [int("a_id")], { foreignKeys: [fk("FK_b_a", ["a_id"], "a")] }) },
      { kind: "createForeignKey", table: "a", foreignKey: fk("FK_a_b", ["b_id"], "b") },
    ],
  },
  {
    name: "new self-referencing table keeps its foreign key inline",
    current: schema([]),
    target: schema([
      keyed("nodes", [int("parent_id", { nullable: true })], {
        foreignKeys: [fk("FK_parent", ["parent_id"], "nodes")],
      }),
    ]),
    wantOps: [
      {
        kind: "createTable",
        table: keyed("nodes", [int("parent_id", { nullable: true })], {
          foreignKeys: [fk("FK_parent", ["parent_id"], "nodes")],
        }),
      },
    ],
  },
  {
    name: "new table referencing an existing one keeps its foreign key inline",
    current: schema([users]),
    target: blog,
    wantOps: [{ kind: "createTable", table: posts }],
  },
  {
    name: "new table referencing a key created in the same diff comes after that key",
    current: schema([keyed("users", [vc("email", 255)])]),
    target: schema([
      keyed("users", [vc("email", 255)], { uniques: [{ name: "UQ_email", columns: ["email"] }] }),
      keyed("logins", [vc("email", 255)], {
        foreignKeys: [fk("FK_login_email", ["email"], "users", { referencedColumns: ["email"] })],
      }),
    ]),
    wantOps: [
      { kind: "createUnique", table: "users", unique: { name: "UQ_email", columns: ["email"] } },
      {
        kind: "createTable",
        table: keyed("logins", [vc("email", 255)], {
          foreignKeys: [fk("FK_login_email", ["email"], "users", { referencedColumns: ["email"] })],
        }),
      },
    ],
  },
  {
    name: "dropped tables go referencing-first",
    current: blog,
    target: schema([]),
    wantOps: [
      { kind: "dropTable", table: posts },
      { kind: "dropTable", table: users },
    ],
    wantFindings: [
      { kind: "destructive", opIndex: 0, table: "posts" },
      { kind: "destructive", opIndex: 1, table: "users" },
    ],
  },
  {
    name: "dropped tables in a cycle: the closing foreign key is dropped first",
    current: schema([
      keyed("a", [int("b_id")], { foreignKeys: [fk("FK_a_b", ["b_id"], "b")] }),
      keyed("b", [int("a_id")], { foreignKeys: [fk("FK_b_a", ["a_id"], "a")] }),
    ]),
    target: schema([]),
    wantOps: [
      { kind: "dropForeignKey", table: "a", foreignKey: fk("FK_a_b", ["b_id"], "b") },
      { kind: "dropTable", table: keyed("b", [int("a_id")], { foreignKeys: [fk("FK_b_a", ["a_id"], "a")] }) },
      { kind: "dropTable", table: keyed("a", [int("b_id")]) },
    ],
    wantFindings: [
      { kind: "destructive", opIndex: 1, table: "b" },
      { kind: "destructive", opIndex: 2, table: "a" },
    ],
  },
  {
    name: "dropped tables in an unnamed cycle: the separate foreign-key drop is reported",
    current: schema([
      keyed("a", [int("b_id")], { foreignKeys: [fk(undefined, ["b_id"], "b")] }),
      keyed("b", [int("a_id")], { foreignKeys: [fk(undefined, ["a_id"], "a")] }),
    ]),
    target: schema([]),
    wantOps: [
      { kind: "dropForeignKey", table: "a", foreignKey: fk(undefined, ["b_id"], "b") },
      { kind: "dropTable", table: keyed("b", [int("a_id")], { foreignKeys: [fk(undefined, ["a_id"], "a")] }) },
      { kind: "dropTable", table: keyed("a", [int("b_id")]) },
    ],
    wantFindings: [
      { kind: "unnamedConstraint", opIndex: 0, table: "a" },
      { kind: "destructive", opIndex: 1, table: "b" },
      { kind: "destructive", opIndex: 2, table: "a" },
    ],
  },
  {
    name: "dropped referenced table: the surviving table's foreign key goes first",
    current: blog,
    target: schema([keyed("posts", [int("author_id"), text("body")])]),
    wantOps: [
      { kind: "dropForeignKey", table: "posts", foreignKey: fk("FK_posts_author", ["author_id"], "users") },
      { kind: "dropTable", table: users },
    ],
    wantFindings: [{ kind: "destructive", opIndex: 1, table: "users" }],
  },
  {
    name: "changes in several tables come sorted by table name within each phase",
    current: schema([keyed("b", [int("x")]), keyed("a", [int("x")])]),
    target: schema([keyed("b", [int("y", { nullable: true })]), keyed("a", [int("y", { nullable: true })])]),
    wantOps: [
      { kind: "dropColumn", table: "a", column: int("x") },
      { kind: "dropColumn", table: "b", column: int("x") },
      { kind: "addColumn", table: "a", column: int("y", { nullable: true }) },
      { kind: "addColumn", table: "b", column: int("y", { nullable: true }) },
    ],
    wantFindings: [
      { kind: "destructive", opIndex: 0, table: "a" },
      { kind: "destructive", opIndex: 1, table: "b" },
    ],
  },

  // -- renames --
  {
    name: "same-type drop+add without a hint: drop and add, with a rename candidate on the drop",
    current: schema([keyed("posts", [text("body")])]),
    target: schema([keyed("posts", [text("content")])]),
    wantOps: [
      { kind: "dropColumn", table: "posts", column: text("body") },
      { kind: "addColumn", table: "posts", column: text("content") },
    ],
    wantFindings: [
      { kind: "destructive", opIndex: 0, column: "body" },
      { kind: "renameCandidate", opIndex: 0, table: "posts", column: "body", hint: "--rename posts.body=content" },
    ],
  },
  {
    name: "drop+add with a different nullability is no rename candidate",
    current: schema([keyed("posts", [text("body")])]),
    target: schema([keyed("posts", [text("content", { nullable: true })])]),
    wantOps: [
      { kind: "dropColumn", table: "posts", column: text("body") },
      { kind: "addColumn", table: "posts", column: text("content", { nullable: true }) },
    ],
    wantFindings: [{ kind: "destructive", opIndex: 0 }],
  },
  {
    name: "column rename hint: renameColumn, and the index on it is untouched",
    current: schema([keyed("posts", [text("body")], { indexes: [{ name: "IDX_body", columns: ["body"], unique: false }] })]),
    target: schema([keyed("posts", [text("content")], { indexes: [{ name: "IDX_body", columns: ["content"], unique: false }] })]),
    renames: { columns: { "posts.body": "content" } },
    wantOps: [{ kind: "renameColumn", table: "posts", from: "body", to: "content" }],
  },
  {
    name: "column rename hint plus a type change: rename, then alter",
    current: schema([keyed("posts", [vc("title", 100)])]),
    target: schema([keyed("posts", [vc("headline", 200)])]),
    renames: { columns: { "posts.title": "headline" } },
    wantOps: [
      { kind: "renameColumn", table: "posts", from: "title", to: "headline" },
      {
        kind: "alterColumn",
        table: "posts",
        column: "headline",
        changes: {
          type: { from: { type: "character varying", length: 100 }, to: { type: "character varying", length: 200 } },
        },
      },
    ],
  },
  {
    name: "renamed referenced column: foreign keys pointing at it follow without churn",
    current: blog,
    target: schema([
      table("users", [int("user_id"), vc("email", 255)], { primaryKey: { name: "PK_users", columns: ["user_id"] } }),
      { ...posts, foreignKeys: [fk("FK_posts_author", ["author_id"], "users", { referencedColumns: ["user_id"] })] },
    ]),
    renames: { columns: { "users.id": "user_id" } },
    wantOps: [{ kind: "renameColumn", table: "users", from: "id", to: "user_id" }],
  },
  {
    name: "identical dropped and created tables without a hint: rename candidate on the drop",
    current: schema([keyed("people", [vc("email", 255)])]),
    target: schema([keyed("persons", [vc("email", 255)])]),
    wantOps: [
      { kind: "dropTable", table: keyed("people", [vc("email", 255)]) },
      { kind: "createTable", table: keyed("persons", [vc("email", 255)]) },
    ],
    wantFindings: [
      { kind: "destructive", opIndex: 0, table: "people" },
      { kind: "renameCandidate", opIndex: 0, table: "people", hint: "--rename people=persons" },
    ],
  },
  {
    name: "table rename hint: renameTable, foreign keys to it follow, remaining changes are diffed",
    current: blog,
    target: schema([
      keyed("accounts", [vc("email", 320)], { primaryKey: { name: "PK_users", columns: ["id"] } }),
      { ...posts, foreignKeys: [fk("FK_posts_author", ["author_id"], "accounts")] },
    ]),
    renames: { tables: { users: "accounts" } },
    wantOps: [
      { kind: "renameTable", from: "users", to: "accounts" },
      {
        kind: "alterColumn",
        table: "accounts",
        column: "email",
        changes: {
          type: { from: { type: "character varying", length: 255 }, to: { type: "character varying", length: 320 } },
        },
      },
    ],
  },
  {
    name: "renamed table whose key name follows the table name: key replaced, foreign keys rebuilt around it",
    current: blog,
    target: schema([keyed("accounts", [vc("email", 255)]), { ...posts, foreignKeys: [fk("FK_posts_author", ["author_id"], "accounts")] }]),
    renames: { tables: { users: "accounts" } },
    wantOps: [
      { kind: "renameTable", from: "users", to: "accounts" },
      { kind: "dropForeignKey", table: "posts", foreignKey: fk("FK_posts_author", ["author_id"], "accounts") },
      { kind: "dropPrimaryKey", table: "accounts", primaryKey: { name: "PK_users", columns: ["id"] } },
      { kind: "createPrimaryKey", table: "accounts", primaryKey: { name: "PK_accounts", columns: ["id"] } },
      { kind: "createForeignKey", table: "posts", foreignKey: fk("FK_posts_author", ["author_id"], "accounts") },
    ],
  },
  {
    name: "table and column rename hints together (column key uses the new table name)",
    current: schema([table("people", [vc("mail", 255)])]),
    target: schema([table("persons", [vc("email", 255)])]),
    renames: { tables: { people: "persons" }, columns: { "persons.mail": "email" } },
    wantOps: [
      { kind: "renameTable", from: "people", to: "persons" },
      { kind: "renameColumn", table: "persons", from: "mail", to: "email" },
    ],
  },

  // -- extensions, views, exclusion constraints --
  {
    name: "an extension the models need and the database lacks is created first, before the tables",
    current: schema([]),
    target: { ...schema([keyed("docs", [{ name: "attrs", type: "hstore", nullable: true }])]), extensions: [{ name: "hstore" }] },
    // Extensions are PostgreSQL's own diff phase.
    options: { phases: postgresDiffPhases },
    wantOps: [
      { kind: "createExtension", extension: { name: "hstore" } },
      { kind: "createTable", table: keyed("docs", [{ name: "attrs", type: "hstore", nullable: true }]) },
    ],
  },
  {
    name: "an installed extension is neither created again nor dropped when the models stop needing it",
    current: { ...schema([]), extensions: [{ name: "hstore" }, { name: "pg_trgm" }] },
    target: { ...schema([]), extensions: [{ name: "hstore" }] },
    wantOps: [],
    inexpressible: true,
  },
  {
    name: "views are created after the tables, a view after the view it reads",
    current: schema([]),
    target: {
      ...schema([users]),
      views: [
        { name: "a_counts", expression: `SELECT count(*) FROM "z_emails"` },
        { name: "z_emails", expression: `SELECT email FROM users` },
      ],
    },
    wantOps: [
      { kind: "createTable", table: users },
      { kind: "createView", view: { name: "z_emails", expression: `SELECT email FROM users` } },
      { kind: "createView", view: { name: "a_counts", expression: `SELECT count(*) FROM "z_emails"` } },
    ],
  },
  {
    name: "views are dropped first, the reading view before the view it reads",
    current: {
      ...schema([users]),
      views: [
        { name: "a_counts", expression: `SELECT count(*) FROM z_emails` },
        { name: "z_emails", expression: `SELECT email FROM users` },
      ],
    },
    target: schema([]),
    wantOps: [
      { kind: "dropView", view: { name: "a_counts", expression: `SELECT count(*) FROM z_emails` } },
      { kind: "dropView", view: { name: "z_emails", expression: `SELECT email FROM users` } },
      { kind: "dropTable", table: users },
    ],
    wantFindings: [{ kind: "destructive", opIndex: 2, table: "users" }],
  },
  {
    name: "a view whose expression text changed is dropped and created again",
    current: { ...schema([users]), views: [{ name: "v", expression: "SELECT email FROM users" }] },
    target: { ...schema([users]), views: [{ name: "v", expression: "SELECT id, email FROM users" }] },
    wantOps: [
      { kind: "dropView", view: { name: "v", expression: "SELECT email FROM users" } },
      { kind: "createView", view: { name: "v", expression: "SELECT id, email FROM users" } },
    ],
  },
  {
    name: "a view reading a table that changes is dropped before the change and created after it (with views reading it)",
    current: {
      ...schema([users]),
      views: [
        { name: "emails", expression: "SELECT email FROM users" },
        { name: "more", expression: "SELECT * FROM emails" },
        { name: "other", expression: "SELECT 1" },
      ],
    },
    target: {
      ...schema([keyed("users", [vc("email", 320)])]),
      views: [
        { name: "emails", expression: "SELECT email FROM users" },
        { name: "more", expression: "SELECT * FROM emails" },
        { name: "other", expression: "SELECT 1" },
      ],
    },
    wantOps: [
      { kind: "dropView", view: { name: "more", expression: "SELECT * FROM emails" } },
      { kind: "dropView", view: { name: "emails", expression: "SELECT email FROM users" } },
      {
        kind: "alterColumn",
        table: "users",
        column: "email",
        changes: { type: { from: { type: "character varying", length: 255 }, to: { type: "character varying", length: 320 } } },
      },
      { kind: "createView", view: { name: "emails", expression: "SELECT email FROM users" } },
      { kind: "createView", view: { name: "more", expression: "SELECT * FROM emails" } },
    ],
  },
  {
    name: "exclusion constraints are created, dropped, and replaced when their expression changes",
    // Exclusion constraints are PostgreSQL's own diff phase.
    options: { phases: postgresDiffPhases },
    current: schema([
      keyed("bookings", [int("room")], {
        exclusions: [
          { name: "XCL_a", expression: "USING gist (room WITH =)" },
          { name: "XCL_gone", expression: "USING gist (id WITH =)" },
        ],
      }),
    ]),
    target: schema([
      keyed("bookings", [int("room")], {
        exclusions: [
          { name: "XCL_a", expression: "USING gist (room WITH =, id WITH =)" },
          { name: "XCL_new", expression: "USING gist (id WITH <>)" },
        ],
      }),
    ]),
    wantOps: [
      { kind: "dropExclusion", table: "bookings", exclusion: { name: "XCL_a", expression: "USING gist (room WITH =)" } },
      { kind: "dropExclusion", table: "bookings", exclusion: { name: "XCL_gone", expression: "USING gist (id WITH =)" } },
      { kind: "createExclusion", table: "bookings", exclusion: { name: "XCL_a", expression: "USING gist (room WITH =, id WITH =)" } },
      { kind: "createExclusion", table: "bookings", exclusion: { name: "XCL_new", expression: "USING gist (id WITH <>)" } },
    ],
  },
];

describe("diffSchemas", () => {
  it("has a case for every rule (40+)", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const result = diffSchemas(c.target, c.current, { ...c.options, renames: c.renames });
    expect(result.ops).toEqual(c.wantOps);
    const want = c.wantFindings ?? [];
    expect(result.findings).toHaveLength(want.length);
    want.forEach((w, i) => expect(result.findings[i]).toMatchObject(w));
    if (!c.inexpressible) expect(canonical(applyOps(c.current, result.ops))).toEqual(canonical(c.target));
  });

  it("never mutates its inputs", () => {
    const current = structuredClone(blog);
    const target = schema([keyed("accounts", [vc("email", 320)])]);
    const frozenTarget = structuredClone(target);
    const result = diffSchemas(target, current, { renames: { tables: { users: "accounts" } } });
    expect(result.ops.length).toBeGreaterThan(0);
    expect(current).toEqual(blog);
    expect(target).toEqual(frozenTarget);
  });

  it("rename-candidate messages carry the --rename hint a reviewer can paste", () => {
    const result = diffSchemas(schema([keyed("posts", [text("content")])]), schema([keyed("posts", [text("body")])]));
    const candidate = result.findings.find((f) => f.kind === "renameCandidate")!;
    expect(candidate.message).toContain("posts.body -> posts.content");
    expect(candidate.message).toContain("--rename posts.body=content");
  });

  it.each<[string, RenameHints, RegExp]>([
    ["unknown old table", { tables: { ghosts: "accounts" } }, /Cannot rename table "ghosts": it does not exist in the database/],
    ["unknown new table", { tables: { users: "ghosts" } }, /the models have no table "ghosts"/],
    ["unknown old column", { columns: { "users.nme": "name" } }, /Cannot rename column "users.nme": it does not exist/],
    ["unknown new column", { columns: { "users.email": "mail" } }, /the models have no column "users.mail"/],
    ["malformed column key", { columns: { email: "mail" } }, /must look like table.oldColumn/],
  ])("refuses a rename hint that does not fit: %s", (_name, renames, message) => {
    const target = schema([keyed("accounts", [vc("email", 255)]), keyed("users", [vc("email", 255)])]);
    const call = () => diffSchemas(target, blog, { renames });
    expect(call).toThrow(UserError);
    expect(call).toThrow(message);
  });
});
