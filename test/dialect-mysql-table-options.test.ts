/**
 * MySQL/MariaDB table options on a real server: the storage engine (`@Entity({ engine })`)
 * and the table's collation are read back, compared, created with the table and changed
 * with alterTable (ALTER TABLE … ENGINE= / CONVERT TO CHARACTER SET), in both directions;
 * a column that names its table's collation compares equal to one that names none.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { downgrade, revision, upgrade } from "../src/api/index.js";
import { getDialect } from "../src/dialects/index.js";
import type { DbConnection } from "../src/dialects/dialect.js";
import { diffSchemas } from "../src/diff/index.js";
import { diffOptionsFor } from "../src/diff/options.js";
import { lintOps } from "../src/lint/rules.js";
import { applyOps } from "../src/ops/apply.js";
import { reverseOps } from "../src/ops/reverse.js";
import type { Op } from "../src/ops/ops.js";
import type { SchemaIR } from "../src/schema/ir.js";
import { createMysqlDatabase, mysqlAvailable } from "./helpers/databases.js";
import { createProject, REPO_ROOT, type TestProject } from "./helpers/project.js";
import { typeormPendingQueries } from "./helpers/typeorm-oracle.js";

const MYSQL = await mysqlAvailable();
const mysql = getDialect("mysql");
const fixture = (name: string) => path.join(REPO_ROOT, "fixtures/entities", name, "*.ts");
const introspect = (conn: DbConnection) => mysql.introspect(conn, { versionTable: "autogen_version" });

async function run(conn: DbConnection, ops: Op[], state: SchemaIR): Promise<void> {
  for (const sql of mysql.renderOps(ops, state)) await conn.query(sql);
}

describe.skipIf(!MYSQL)("MySQL table engine (@Entity({ engine }))", () => {
  let db: Awaited<ReturnType<typeof createMysqlDatabase>>;
  let project: TestProject;
  beforeAll(async () => {
    db = await createMysqlDatabase("autogen_engine");
    project = createProject({ url: db.url, entities: [fixture("mysql-engine")] });
  });
  afterAll(async () => {
    project?.remove();
    await db?.drop();
  });

  const engines = async () => {
    const conn = await mysql.connect(db.url);
    try {
      const rows = await conn.query<{ t: string; e: string }>(
        "SELECT TABLE_NAME AS t, ENGINE AS e FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('audit_lines', 'notes') ORDER BY TABLE_NAME",
      );
      return Object.fromEntries(rows.map((r) => [r.t, r.e]));
    } finally {
      await conn.close();
    }
  };

  it("creates the table on its engine; TypeORM has nothing to do; a second autogenerate is empty", async () => {
    const first = await revision({ config: project.config, message: "init", autogenerate: true });
    if (!first.written) throw new Error("no revision written");
    expect(readFileSync(first.path, "utf8")).toMatch(/engine: "MyISAM"/);
    await upgrade({ config: project.config, target: "head" });
    expect(await engines()).toEqual({ audit_lines: "MyISAM", notes: "InnoDB" });
    expect(await typeormPendingQueries("mysql", db.url, [fixture("mysql-engine")])).toEqual([]);
    // notes.code names utf8mb4_bin, which is not its table's: kept; title names none.
    const second = await revision({ config: project.config, message: "again", autogenerate: true });
    expect(second.written).toBe(false);
  });

  it("a changed engine is one alterTable each way; upgrade and downgrade move the tables", async () => {
    project.write({ url: db.url, entities: [fixture("mysql-engine-changed")] });
    const changed = await revision({ config: project.config, message: "engines", autogenerate: true });
    if (!changed.written) throw new Error("no revision written");
    const source = readFileSync(changed.path, "utf8");
    expect(source).toMatch(/op\.alterTable\("audit_lines", \{ engine: \{ from: "MyISAM", to: null \} \}\)/);
    expect(source).toMatch(/op\.alterTable\("notes", \{ engine: \{ from: null, to: "Aria" \} \}\)/);
    await upgrade({ config: project.config, target: "head" });
    expect(await engines()).toEqual({ audit_lines: "InnoDB", notes: "Aria" });
    expect(await typeormPendingQueries("mysql", db.url, [fixture("mysql-engine-changed")])).toEqual([]);
    expect((await revision({ config: project.config, message: "again", autogenerate: true })).written).toBe(false);
    await downgrade({ config: project.config, target: "-1" });
    expect(await engines()).toEqual({ audit_lines: "MyISAM", notes: "InnoDB" });
  });
});

describe.skipIf(!MYSQL)("MySQL table collation", () => {
  it("a column naming the database's default collation compares equal to the table's, so a second autogenerate is empty", async () => {
    const db = await createMysqlDatabase("autogen_dflt");
    const project = createProject({ url: db.url, entities: [fixture("mysql-collation")] });
    try {
      const admin = await mysql.connect(db.url);
      await admin.query("ALTER DATABASE CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci").finally(() => admin.close());
      expect(await revision({ config: project.config, message: "labels", autogenerate: true })).toMatchObject({ written: true });
      await upgrade({ config: project.config, target: "head" });
      const conn = await mysql.connect(db.url);
      const labels = (await introspect(conn).finally(() => conn.close())).tables.find((t) => t.name === "labels")!;
      expect(labels.collation).toBeUndefined();
      expect(labels.columns.map((c) => [c.name, c.collation])).toEqual([
        ["id", undefined],
        ["title", undefined],
        ["code", "utf8mb4_bin"],
      ]);
      expect(await typeormPendingQueries("mysql", db.url, [fixture("mysql-collation")])).toEqual([]);
      expect((await revision({ config: project.config, message: "again", autogenerate: true })).written).toBe(false);
    } finally {
      project.remove();
      await db.drop();
    }
  });

  it("a table off the database's collation converts back with its columns, a column with its own collation keeps it, and the reverse restores both", async () => {
    const db = await createMysqlDatabase("autogen_coll");
    const conn = await mysql.connect(db.url);
    try {
      const [defaults] = await conn.query<{ c: string }>("SELECT @@collation_database AS c");
      const other = defaults!.c === "utf8mb4_unicode_ci" ? "utf8mb4_general_ci" : "utf8mb4_unicode_ci";
      // Explicit spellings of the defaults read as none; the off-default table reads as its collation.
      await conn.query(
        `CREATE TABLE plain (id int NOT NULL PRIMARY KEY, a varchar(10) COLLATE ${defaults!.c} NOT NULL) ENGINE=InnoDB COLLATE ${defaults!.c}`,
      );
      await conn.query(
        `CREATE TABLE odd (id int NOT NULL PRIMARY KEY, a varchar(10) NOT NULL, b varchar(10) COLLATE utf8mb4_bin NOT NULL) DEFAULT CHARACTER SET utf8mb4 COLLATE ${other}`,
      );
      await conn.query("INSERT INTO odd VALUES (1, 'x', 'Y')");
      const before = await introspect(conn);
      const plain = before.tables.find((t) => t.name === "plain")!;
      expect(plain.collation).toBeUndefined();
      expect(plain.engine).toBeUndefined();
      expect(plain.columns.find((c) => c.name === "a")?.collation).toBeUndefined();
      const odd = before.tables.find((t) => t.name === "odd")!;
      expect(odd.collation).toBe(other);
      expect(odd.columns.map((c) => c.collation)).toEqual([undefined, undefined, "utf8mb4_bin"]);

      // The models' side: every table on the database's collation.
      const target: SchemaIR = mysql.normalizeSchema({ ...before, tables: before.tables.map(({ collation: _c, ...t }) => t) });
      const { ops } = diffSchemas(target, before, diffOptionsFor(getDialect("mysql")));
      expect(ops).toEqual([{ kind: "alterTable", table: "odd", changes: { collation: { from: other, to: null } } }]);
      await run(conn, ops, before);
      const after = await introspect(conn);
      expect(after).toEqual(applyOps(before, ops));
      expect(after).toEqual(target);
      expect(await conn.query("SELECT a, b FROM odd")).toEqual([{ a: "x", b: "Y" }]);

      await run(conn, reverseOps(ops), after);
      expect(await introspect(conn)).toEqual(before);
    } finally {
      await conn.close();
      await db.drop();
    }
  });

  it("createTable writes the engine always (as TypeORM does) and the collation where the table has one", () => {
    const [sql] = mysql.renderOp(
      {
        kind: "createTable",
        table: {
          name: "t",
          columns: [{ name: "id", type: "int", nullable: false }],
          foreignKeys: [],
          uniques: [],
          indexes: [],
          checks: [],
          collation: "latin1_bin",
        },
      },
      { dialect: "mysql", tables: [], enums: [] },
    );
    expect(sql).toBe("CREATE TABLE `t` (`id` int NOT NULL) ENGINE=InnoDB DEFAULT CHARACTER SET latin1 COLLATE latin1_bin");
  });
});

describe("a table collation change is flagged", () => {
  const t = (collation?: string): SchemaIR => ({
    dialect: "mysql",
    tables: [
      {
        name: "notes",
        columns: [{ name: "id", type: "int", nullable: false }],
        foreignKeys: [],
        uniques: [],
        indexes: [],
        checks: [],
        ...(collation ? { collation } : {}),
      },
    ],
    enums: [],
  });

  it("as destructive (shown above the op in the revision file), both ways", () => {
    const to = diffSchemas(t("latin1_bin"), t(), diffOptionsFor(getDialect("mysql")));
    expect(to.ops.map((o) => o.kind)).toEqual(["alterTable"]);
    expect(to.findings).toEqual([
      expect.objectContaining({
        kind: "destructive",
        table: "notes",
        opIndex: 0,
        message: expect.stringMatching(
          /^Converts every row of notes from collation the database's default to latin1_bin: the table is rebuilt .*cannot hold are lost\.$/,
        ),
      }),
    ]);
    expect(diffSchemas(t(), t("latin1_bin"), diffOptionsFor(getDialect("mysql"))).findings.map((f) => f.kind)).toEqual(["destructive"]);
    // An engine change alone converts no text.
    const engineOnly = diffSchemas({ ...t(), tables: [{ ...t().tables[0]!, engine: "MyISAM" }] }, t(), diffOptionsFor(getDialect("mysql")));
    expect(engineOnly.findings).toEqual([]);
  });

  it("by lint on an existing table, not on one the revision creates", () => {
    const op: Op = { kind: "alterTable", table: "notes", changes: { collation: { from: null, to: "latin1_bin" } } };
    const lint = (before: SchemaIR) => lintOps([op], { before, direction: "upgrade" }).map((f) => f.rule);
    expect(lint(t())).toEqual(["collation-convert"]);
    expect(lint({ ...t(), tables: [] })).toEqual([]);
  });
});

describe("alterTable elsewhere", () => {
  it("PostgreSQL and SQLite refuse it in one line naming the table and the database", () => {
    const op: Op = { kind: "alterTable", table: "t", changes: { engine: { from: null, to: "MyISAM" } } };
    expect(() => getDialect("postgres").renderOp(op, { dialect: "postgres", tables: [], enums: [] })).toThrow(
      'alterTable("t"): PostgreSQL has no table engine or table collation (this op is for MySQL)',
    );
    expect(() => getDialect("sqlite").renderOp(op, { dialect: "sqlite", tables: [], enums: [] })).toThrow(
      /^alterTable\("t"\): SQLite has no table engine/,
    );
  });

  it("reverses by swapping each change", () => {
    const op: Op = {
      kind: "alterTable",
      table: "t",
      changes: { engine: { from: "MyISAM", to: null }, collation: { from: null, to: "latin1_bin" } },
    };
    expect(reverseOps([op])).toEqual([
      { kind: "alterTable", table: "t", changes: { engine: { from: null, to: "MyISAM" }, collation: { from: "latin1_bin", to: null } } },
    ]);
  });
});
