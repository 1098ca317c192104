import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DefaultNamingStrategy } from "typeorm";
import { afterAll, describe, expect, it } from "vitest";
import { UserError } from "../src/errors.js";
import { readModels, readModelSet } from "../src/models/index.js";
import type { ColumnIR, DialectName, SchemaIR, TableIR } from "../src/schema/ir.js";
import { createTempDir, TEST_DIALECTS } from "./helpers/databases.js";
import { MODELS_EXAMPLE_DIR } from "./helpers/project.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const EXAMPLE = MODELS_EXAMPLE_DIR;
const FIXTURES = path.join(ROOT, "fixtures", "entities");
const naming = new DefaultNamingStrategy();

const tmp = createTempDir("autogen-models-");
afterAll(() => tmp.remove());

function write(relative: string, text: string): string {
  const file = tmp.file(relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

function table(schema: SchemaIR, name: string): TableIR {
  const found = schema.tables.find((t) => t.name === name);
  if (!found) throw new Error(`no table ${name} in ${schema.tables.map((t) => t.name).join(", ")}`);
  return found;
}

function column(t: TableIR, name: string): ColumnIR {
  const found = t.columns.find((c) => c.name === name);
  if (!found) throw new Error(`no column ${t.name}.${name}`);
  return found;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected a rejection");
}

const readExample = (dialect: DialectName) => readModels({ dialect, baseDir: EXAMPLE, entities: ["entities/*.ts"] });

const EXAMPLE_TABLES = ["categories", "comments", "post_tags", "posts", "tags", "users"];

describe("models-example on SQLite", async () => {
  const ir = await readExample("sqlite");

  it("has every entity table and the many-to-many junction table", () => {
    expect(ir.dialect).toBe("sqlite");
    expect(ir.tables.map((t) => t.name).sort()).toEqual(EXAMPLE_TABLES);
    expect(ir.enums).toEqual([]);
  });

  it("describes comments exactly as TypeORM creates the table", () => {
    expect(table(ir, "comments")).toEqual({
      name: "comments",
      columns: [
        { name: "id", type: "integer", nullable: false, generated: "increment" },
        { name: "body", type: "text", nullable: false },
        { name: "createdAt", type: "datetime", nullable: false, default: "datetime('now')" },
        { name: "postId", type: "integer", nullable: false },
        { name: "authorId", type: "integer", nullable: true },
      ],
      primaryKey: { columns: ["id"] },
      foreignKeys: [
        {
          name: naming.foreignKeyName("comments", ["postId"]),
          columns: ["postId"],
          referencedTable: "posts",
          referencedColumns: ["id"],
          onDelete: "CASCADE",
          onUpdate: "NO ACTION",
        },
        {
          name: naming.foreignKeyName("comments", ["authorId"]),
          columns: ["authorId"],
          referencedTable: "users",
          referencedColumns: ["id"],
          onDelete: "SET NULL",
          onUpdate: "NO ACTION",
        },
      ],
      uniques: [],
      indexes: [],
      checks: [],
    });
  });

  it("keeps the portable enum as a varchar with its values, the JSON column as text", () => {
    const posts = table(ir, "posts");
    expect(column(posts, "status")).toEqual({
      name: "status",
      type: "varchar",
      nullable: false,
      enumValues: ["draft", "published", "archived"],
      default: "'draft'",
    });
    expect(column(posts, "metadata")).toEqual({ name: "metadata", type: "text", nullable: true });
    expect(column(posts, "title")).toEqual({ name: "title", type: "varchar", length: 200, nullable: false });
    expect(column(posts, "viewCount")).toEqual({ name: "viewCount", type: "integer", nullable: false, default: "0" });
  });

  it("names the unique and the index as TypeORM's naming strategy does", () => {
    expect(table(ir, "users").uniques).toEqual([{ name: naming.uniqueConstraintName("users", ["email"]), columns: ["email"] }]);
    expect(table(ir, "posts").indexes).toEqual([
      { name: naming.indexName("posts", ["status", "createdAt"]), columns: ["status", "createdAt"], unique: false },
    ]);
  });

  it("gives the junction table a composite key, two cascading foreign keys and their indexes", () => {
    const junction = table(ir, "post_tags");
    expect(junction.columns.map((c) => c.name)).toEqual(["postsId", "tagsId"]);
    expect(junction.primaryKey).toEqual({ columns: ["postsId", "tagsId"] });
    expect(junction.foreignKeys.map((f) => [f.referencedTable, f.onDelete, f.onUpdate])).toEqual([
      ["posts", "CASCADE", "CASCADE"],
      ["tags", "CASCADE", "CASCADE"],
    ]);
    expect(junction.indexes.map((i) => i.columns)).toEqual([["postsId"], ["tagsId"]]);
  });
});

describe("models-example on PostgreSQL", async () => {
  const ir = await readExample("postgres");

  it("speaks PostgresDriver.normalizeType's vocabulary", () => {
    const users = table(ir, "users");
    expect(users.columns).toEqual([
      { name: "id", type: "integer", nullable: false, generated: "increment" },
      { name: "email", type: "character varying", length: 255, nullable: false },
      { name: "displayName", type: "character varying", length: 100, nullable: false },
      { name: "bio", type: "text", nullable: true },
      { name: "createdAt", type: "timestamp without time zone", nullable: false, default: "now()" },
    ]);
    expect(column(table(ir, "posts"), "viewCount").default).toBe("'0'");
  });

  it("turns the simple-enum into a native enum type named as TypeORM names it", () => {
    expect(column(table(ir, "posts"), "status")).toEqual({
      name: "status",
      type: "enum",
      enumName: "posts_status_enum",
      enumValues: ["draft", "published", "archived"],
      nullable: false,
      default: "'draft'",
    });
    expect(ir.enums).toEqual([{ name: "posts_status_enum", values: ["draft", "published", "archived"] }]);
  });

  it("names primary keys with the naming strategy", () => {
    expect(table(ir, "users").primaryKey).toEqual({ name: naming.primaryKeyName("users", ["id"]), columns: ["id"] });
    expect(table(ir, "post_tags").primaryKey).toEqual({
      name: naming.primaryKeyName("post_tags", ["postsId", "tagsId"]),
      columns: ["postsId", "tagsId"],
    });
  });

  it("keeps the cascading foreign key from comments to posts", () => {
    const fk = table(ir, "comments").foreignKeys.find((f) => f.referencedTable === "posts");
    expect(fk).toMatchObject({ columns: ["postId"], referencedColumns: ["id"], onDelete: "CASCADE", onUpdate: "NO ACTION" });
  });
});

describe("dataSource file mode", () => {
  it.each(TEST_DIALECTS)("reads the same models as the entity globs (%s)", async (dialect) => {
    const viaDataSource = await readModels({ dialect, baseDir: EXAMPLE, dataSource: "data-source.ts" });
    expect(viaDataSource).toEqual(await readExample(dialect));
  });

  it("honours the DataSource's naming strategy and entity glob strings", async () => {
    const ir = await readModels({ dialect: "postgres", baseDir: FIXTURES, dataSource: "datasource-globs/data-source.ts" });
    expect(ir.tables.map((t) => t.name).sort()).toEqual(["app_authors", "app_books"]);
    expect(table(ir, "app_books").primaryKey?.name).toBe(naming.primaryKeyName("app_books", ["id"]));
    expect(table(ir, "app_books").foreignKeys[0]?.referencedTable).toBe("app_authors");
  });
});

describe("compiled .js entities", () => {
  it.each(TEST_DIALECTS)("CommonJS and ESM builds read like their TypeScript source (%s)", async (dialect) => {
    const fromTs = await readModels({ dialect, baseDir: FIXTURES, entities: ["library-ts/*.ts"] });
    expect(fromTs.tables.map((t) => t.name).sort()).toEqual(["authors", "books"]);
    expect(await readModels({ dialect, baseDir: FIXTURES, entities: ["library-js/*.js"] })).toEqual(fromTs);
    expect(await readModels({ dialect, baseDir: FIXTURES, entities: ["library-esm/*.js"] })).toEqual(fromTs);
  });
});

describe("fixture sets", () => {
  it("length-100 and length-150 differ only in the title's length", async () => {
    const a = await readModels({ dialect: "postgres", baseDir: FIXTURES, entities: ["length-100/*.ts"] });
    const b = await readModels({ dialect: "postgres", baseDir: FIXTURES, entities: ["length-150/*.ts"] });
    expect(column(table(a, "articles"), "title").length).toBe(100);
    expect(column(table(b, "articles"), "title").length).toBe(150);
    const withoutTitle = (s: SchemaIR) =>
      s.tables.map((t) => ({ ...t, columns: t.columns.map((c) => (c.name === "title" ? { ...c, length: 0 } : c)) }));
    expect(withoutTitle(a)).toEqual(withoutTitle(b));
  });

  it("pg-only: native enums, jsonb, arrays, uuid and identity keys, partial and GIN indexes", async () => {
    const ir = await readModels({ dialect: "postgres", baseDir: FIXTURES, entities: ["pg-only/*.ts"] });
    const profiles = table(ir, "profiles");
    expect(column(profiles, "id")).toEqual({ name: "id", type: "uuid", nullable: false, default: "uuid_generate_v4()" });
    expect(column(profiles, "mood")).toMatchObject({ type: "enum", enumName: "mood", default: "'meh'" });
    expect(column(profiles, "favouriteColours")).toMatchObject({
      type: "enum",
      enumName: "profiles_favouritecolours_enum",
      array: true,
    });
    expect(column(profiles, "settings")).toEqual({ name: "settings", type: "jsonb", nullable: false, default: "'{}'::jsonb" });
    expect(column(profiles, "nicknames")).toEqual({ name: "nicknames", type: "text", array: true, nullable: true });
    expect(column(profiles, "score")).toMatchObject({ type: "numeric", precision: 10, scale: 2 });
    expect(column(profiles, "createdAt")).toMatchObject({ type: "timestamp with time zone", default: "now()" });
    expect(column(profiles, "handle").comment).toBe("public @handle");
    expect(profiles.comment).toBe("one per account");
    expect(profiles.indexes).toEqual([
      { name: "IDX_profiles_active_handle", columns: ["handle"], unique: true, where: `"deletedAt" IS NULL` },
      { name: "IDX_profiles_settings", columns: ["settings"], unique: false, method: "gin" },
    ]);
    expect(profiles.checks).toEqual([{ name: "CHK_profiles_score", expression: `"score" >= 0` }]);
    expect(ir.enums.map((e) => e.name).sort()).toEqual(["mood", "profiles_favouritecolours_enum"]);

    const ledger = table(ir, "ledger_entries");
    expect(column(ledger, "id")).toEqual({ name: "id", type: "bigint", nullable: false, generated: "identity", identity: "ALWAYS" });
    expect(ledger.foreignKeys[0]).toMatchObject({
      referencedTable: "profiles",
      onDelete: "RESTRICT",
      onUpdate: "CASCADE",
      deferrable: "INITIALLY DEFERRED",
    });
  });

  it("pg-only on SQLite is rejected by TypeORM, reported as a user error", async () => {
    const err = await rejection(readModels({ dialect: "sqlite", baseDir: FIXTURES, entities: ["pg-only/*.ts"] }));
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toMatch(/entities "pg-only\/\*\.ts": TypeORM rejected the entities: Unsupported index type/);
  });
});

describe("what TypeORM derives", () => {
  const dir = tmp.file("derived");
  write(
    "derived/Node.ts",
    `import { Column, Entity, PrimaryGeneratedColumn, Tree, TreeChildren, TreeParent } from "typeorm";
@Entity("nodes")
@Tree("closure-table")
export class Node {
  @PrimaryGeneratedColumn() id!: number;
  @Column() label!: string;
  @TreeChildren() children!: Node[];
  @TreeParent() parent!: Node | null;
}
`,
  );
  write(
    "derived/Content.ts",
    `import { ChildEntity, Column, Entity, PrimaryGeneratedColumn, TableInheritance } from "typeorm";
export class Audit {
  @Column({ type: "varchar", length: 30, nullable: true }) by!: string | null;
  @Column({ type: "int", default: 1 }) revision!: number;
}
@Entity("contents")
@TableInheritance({ column: { type: "varchar", name: "kind" } })
export class Content {
  @PrimaryGeneratedColumn() id!: number;
  @Column(() => Audit) audit!: Audit;
}
@ChildEntity("photo")
export class Photo extends Content {
  @Column({ type: "int", nullable: true }) width!: number | null;
}
`,
  );
  write(
    "derived/Unmanaged.ts",
    `import { Column, Entity, PrimaryColumn, ViewEntity, ViewColumn } from "typeorm";
@Entity({ name: "legacy_accounts", synchronize: false })
export class LegacyAccount {
  @PrimaryColumn() id!: number;
  @Column() name!: string;
}
@ViewEntity({ name: "account_names", expression: "SELECT id, name FROM legacy_accounts" })
export class AccountName {
  @ViewColumn() id!: number;
  @ViewColumn() name!: string;
}
`,
  );

  it("adds the closure table, merges STI children and embedded columns, leaves unmanaged tables out", async () => {
    const set = await readModelSet({ dialect: "sqlite", baseDir: dir, entities: ["*.ts"] });
    // A view entity is a view, and brings TypeORM's metadata table that records it.
    expect(set.schema.tables.map((t) => t.name).sort()).toEqual(["contents", "nodes", "nodes_closure", "typeorm_metadata"]);
    expect(set.schema.views).toEqual([{ name: "account_names", expression: "SELECT id, name FROM legacy_accounts" }]);
    expect(table(set.schema, "nodes_closure").columns.map((c) => c.name)).toEqual(["id_ancestor", "id_descendant"]);
    expect(table(set.schema, "contents").columns.map((c) => c.name)).toEqual(["id", "width", "kind", "auditBy", "auditRevision"]);
    expect(column(table(set.schema, "contents"), "auditRevision").default).toBe("1");
    // synchronize:false entities, plus TypeORM's own bookkeeping tables the models do not manage.
    expect(set.unmanagedTables).toEqual(["legacy_accounts", "migrations"]);
  });
});

describe("errors", () => {
  it("names the glob that matched no entity files", async () => {
    const err = await rejection(readModels({ dialect: "sqlite", baseDir: EXAMPLE, entities: ["nowhere/**/*.ts"] }));
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toBe(`entities "nowhere/**/*.ts": no entity files match (relative to ${EXAMPLE})`);
  });

  it("names the entity file and line of a syntax error", async () => {
    const dir = tmp.file("broken");
    const file = write("broken/Broken.ts", `import { Entity } from "typeorm";\n@Entity()\nexport class Broken {\n  id: number = ;\n}\n`);
    const err = await rejection(readModels({ dialect: "sqlite", baseDir: dir, entities: ["*.ts"] }));
    expect(err).toBeInstanceOf(UserError);
    expect(err.message.startsWith(`${file}:4:`)).toBe(true);
  });

  it("names a DataSource file that exports no DataSource", async () => {
    const err = await rejection(readModels({ dialect: "sqlite", baseDir: FIXTURES, dataSource: "no-datasource/data-source.ts" }));
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toBe(
      `${path.join(FIXTURES, "no-datasource/data-source.ts")}: exports no TypeORM DataSource (export one as default or by name)`,
    );
  });

  it("names a missing DataSource file", async () => {
    const err = await rejection(readModels({ dialect: "sqlite", baseDir: EXAMPLE, dataSource: "missing.ts" }));
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toBe(`file not found: ${path.join(EXAMPLE, "missing.ts")}`);
  });

  it("refuses files without any @Entity class instead of reading an empty schema", async () => {
    const dir = tmp.file("plain");
    write("plain/util.ts", `export class NotAnEntity {}\nexport const x = 1;\n`);
    const err = await rejection(readModels({ dialect: "sqlite", baseDir: dir, entities: ["*.ts"] }));
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toContain("no TypeORM entities found");
  });

  it("refuses two enum columns sharing an enumName with different values", async () => {
    const dir = tmp.file("enum-clash");
    write(
      "enum-clash/Clash.ts",
      `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
@Entity("a") export class A { @PrimaryGeneratedColumn() id!: number; @Column({ type: "enum", enum: ["x", "y"], enumName: "shared" }) v!: string; }
@Entity("b") export class B { @PrimaryGeneratedColumn() id!: number; @Column({ type: "enum", enum: ["x", "z"], enumName: "shared" }) v!: string; }
`,
    );
    const err = await rejection(readModels({ dialect: "postgres", baseDir: dir, entities: ["*.ts"] }));
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toContain(`enum type "shared" is used by a.v and b.v with different values`);
  });

  it("names a view whose query-builder expression cannot be rendered without a connection", async () => {
    const dir = tmp.file("view-needs-connection");
    write(
      "view-needs-connection/Stats.ts",
      `import { DataSource, ViewColumn, ViewEntity } from "typeorm";
@ViewEntity({ name: "stats", expression: (ds: DataSource) => { throw new Error("asks the server for its version"); } })
export class Stats { @ViewColumn() n!: number; }
`,
    );
    const err = await rejection(readModels({ dialect: "postgres", baseDir: dir, entities: ["*.ts"] }));
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toBe(
      "view Stats: its query-builder expression cannot be rendered without a database connection " +
        "(asks the server for its version); give the view its SQL as a string",
    );
  });

  it("needs exactly one of entities and dataSource", async () => {
    expect(await rejection(readModels({ dialect: "sqlite", baseDir: EXAMPLE }))).toBeInstanceOf(UserError);
    const both = await rejection(
      readModels({ dialect: "sqlite", baseDir: EXAMPLE, entities: ["entities/*.ts"], dataSource: "data-source.ts" }),
    );
    expect(both).toBeInstanceOf(UserError);
  });
});
