/**
 * MariaDB and MySQL 8 differ where a foreign key's own index must follow it: MariaDB has
 * DROP INDEX IF EXISTS / ADD INDEX IF NOT EXISTS, MySQL 8 has neither. The server's
 * flavour and version are read when a connection opens and decide the SQL. MySQL 8 is not
 * installed here: its rendering is checked statement by statement, and (being a subset of
 * what MariaDB accepts) also run on MariaDB, where the schema must end as the ops say.
 */
import { describe, expect, it } from "vitest";
import { getDialect } from "../src/dialects/index.js";
import type { DbConnection } from "../src/dialects/dialect.js";
import { canonicalDefault, canonicalExpression } from "../src/dialects/mysql/normalize.js";
import { renderOp } from "../src/dialects/mysql/render.js";
import { serverTraits } from "../src/dialects/mysql/server.js";
import { applyOps } from "../src/ops/apply.js";
import type { Op } from "../src/ops/ops.js";
import type { ForeignKeyIR, SchemaIR, TableIR } from "../src/schema/ir.js";
import { createMysqlDatabase, mysqlAvailable } from "./helpers/databases.js";

const MYSQL = await mysqlAvailable();
const mysql = getDialect("mysql");
const MYSQL8 = serverTraits("8.0.36");
const MARIADB = serverTraits("10.11.6-MariaDB-0+deb12u1");

const parent: TableIR = {
  name: "parents",
  columns: [{ name: "id", type: "int", nullable: false }],
  primaryKey: { columns: ["id"] },
  foreignKeys: [],
  uniques: [],
  indexes: [],
  checks: [],
};
const fk: ForeignKeyIR = {
  name: "FK_child_parent",
  columns: ["parentId"],
  referencedTable: "parents",
  referencedColumns: ["id"],
  onDelete: "NO ACTION",
  onUpdate: "NO ACTION",
};
const child = (indexes: TableIR["indexes"]): TableIR => ({
  name: "children",
  columns: [
    { name: "id", type: "int", nullable: false },
    { name: "parentId", type: "int", nullable: true },
  ],
  primaryKey: { columns: ["id"] },
  foreignKeys: [{ ...fk }],
  uniques: [],
  indexes,
  checks: [],
});
const schema = (...tables: TableIR[]): SchemaIR => ({ dialect: "mysql", tables, enums: [] });
const byParent = { name: "IDX_child_parent", columns: ["parentId"], unique: false };

describe("MariaDB's names for LOWER and UPPER", () => {
  it("are the standard names outside string literals, so a model's lower(…) default is not drift", () => {
    expect(canonicalDefault("lcase('EXPR')", "varchar(50)")).toBe("lower('EXPR')");
    expect(canonicalDefault("LCASE ('a''lcase(b)')", "text")).toBe("lower ('a''lcase(b)')");
    expect(canonicalExpression("ucase(`x`) = 'ucase(y)' AND my_lcase(z)")).toBe("upper(x) = 'ucase(y)' AND my_lcase(z)");
  });
});

describe("rendered SQL per server flavour", () => {
  it("traits come from VERSION(): MariaDB 10.7+ has uuid and IF EXISTS, MySQL 8 neither", () => {
    expect(MARIADB).toMatchObject({ mariadb: true, nativeUuid: true, indexIfExists: true });
    expect(serverTraits("10.6.16-MariaDB")).toMatchObject({ mariadb: true, nativeUuid: false, indexIfExists: true });
    expect(MYSQL8).toMatchObject({ mariadb: false, nativeUuid: false, indexIfExists: false });
  });

  const NO_IF_EXISTS = /DROP INDEX IF EXISTS|ADD INDEX IF NOT EXISTS/;

  it("dropping a key with no declared index: MariaDB drops the key's index IF EXISTS, MySQL 8 asks the catalog on the server", () => {
    const state = schema(parent, child([]));
    const op: Op = { kind: "dropForeignKey", table: "children", foreignKey: { ...fk } };
    expect(renderOp(op, state, MARIADB)).toEqual([
      "ALTER TABLE `children` DROP FOREIGN KEY `FK_child_parent`",
      "ALTER TABLE `children` DROP INDEX IF EXISTS `FK_child_parent`",
    ]);
    expect(renderOp(op, state, MYSQL8)).toEqual([
      "ALTER TABLE `children` DROP FOREIGN KEY `FK_child_parent`",
      "SET @autogen_ddl = IF(EXISTS (SELECT 1 FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'children' AND INDEX_NAME = 'FK_child_parent'), 'ALTER TABLE `children` DROP INDEX `FK_child_parent`', 'DO 0')",
      "PREPARE autogen_ddl FROM @autogen_ddl",
      "EXECUTE autogen_ddl",
      "DEALLOCATE PREPARE autogen_ddl",
    ]);
  });

  it("dropping a key whose index was declared drops the key only, on both", () => {
    const own = { name: "FK_child_parent", columns: ["parentId"], unique: false };
    const op: Op = { kind: "dropForeignKey", table: "children", foreignKey: { ...fk } };
    for (const flavour of [MARIADB, MYSQL8]) {
      expect(renderOp(op, schema(parent, child([own])), flavour)).toEqual(["ALTER TABLE `children` DROP FOREIGN KEY `FK_child_parent`"]);
    }
  });

  it("dropping the index a key needs adds the key's own in the same ALTER: IF NOT EXISTS on MariaDB, decided on the server on MySQL 8", () => {
    const state = schema(parent, child([byParent]));
    const op: Op = { kind: "dropIndex", table: "children", index: byParent };
    expect(renderOp(op, state, MARIADB)).toEqual([
      "ALTER TABLE `children` ADD INDEX IF NOT EXISTS `FK_child_parent` (`parentId`), DROP INDEX `IDX_child_parent`",
    ]);
    const mysql8 = renderOp(op, state, MYSQL8);
    expect(mysql8.join("\n")).not.toMatch(NO_IF_EXISTS);
    expect(mysql8[0]).toBe(
      "SET @autogen_ddl = CONCAT('ALTER TABLE `children` ', IF(EXISTS (SELECT 1 FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() " +
        "AND TABLE_NAME = 'children' AND INDEX_NAME = 'FK_child_parent'), '', 'ADD INDEX `FK_child_parent` (`parentId`), '), 'DROP INDEX `IDX_child_parent`')",
    );
    // An index no key needs is dropped plainly on both.
    const plain: Op = { kind: "dropIndex", table: "children", index: byParent };
    const served = schema(parent, { ...child([byParent]), foreignKeys: [] });
    expect(renderOp(plain, served, MYSQL8)).toEqual(["ALTER TABLE `children` DROP INDEX `IDX_child_parent`"]);
  });

  it("uuid: MariaDB 10.7+ writes its own type, MySQL 8 varchar(36)", () => {
    const table: TableIR = { ...parent, name: "tokens", columns: [{ name: "id", type: "uuid", nullable: false }] };
    expect(renderOp({ kind: "createTable", table }, schema(), MARIADB)[0]).toContain("`id` uuid NOT NULL");
    expect(renderOp({ kind: "createTable", table }, schema(), MYSQL8)[0]).toContain("`id` varchar(36) NOT NULL");
  });

  it("without a connection: SQL both accept (MySQL 8's), and the type a revision names as named", () => {
    const op: Op = { kind: "dropForeignKey", table: "children", foreignKey: { ...fk } };
    expect(mysql.renderOp(op, schema(parent, child([])))).toEqual(renderOp(op, schema(parent, child([])), MYSQL8));
    const table: TableIR = { ...parent, name: "tokens", columns: [{ name: "id", type: "uuid", nullable: false }] };
    expect(mysql.renderOp({ kind: "createTable", table }, schema())[0]).toContain("`id` uuid NOT NULL");
    // Compared, a uuid is what TypeORM writes without a server version.
    expect(mysql.normalizeSchema(schema(table)).tables[0]!.columns[0]).toEqual({
      name: "id",
      type: "varchar",
      length: 36,
      nullable: false,
    });
  });

  it("the registered dialect, specialised for a connection, renders for that connection's server", async () => {
    if (!MYSQL) return;
    const db = await createMysqlDatabase("autogen_flavour");
    const conn = await mysql.connect(db.url);
    try {
      const specialised = mysql.forServer!(conn);
      const op: Op = { kind: "dropForeignKey", table: "children", foreignKey: { ...fk } };
      expect(specialised.renderOp(op, schema(parent, child([])))[1]).toMatch(/DROP INDEX IF EXISTS/); // MariaDB here
    } finally {
      await conn.close();
      await db.drop();
    }
  });
});

describe.skipIf(!MYSQL)("MySQL 8's SQL run on MariaDB ends where the ops say", () => {
  const introspect = (conn: DbConnection) => mysql.introspect(conn, { versionTable: "autogen_version" });
  const scenarios: Array<{ name: string; start: TableIR; ops: Op[] }> = [
    {
      name: "key without an index of its own, dropped",
      start: child([]),
      ops: [{ kind: "dropForeignKey", table: "children", foreignKey: { ...fk } }],
    },
    {
      name: "key served by a declared index, dropped",
      start: child([byParent]),
      ops: [{ kind: "dropForeignKey", table: "children", foreignKey: { ...fk } }],
    },
    {
      name: "an index the key does not need dropped while the key keeps the server's own",
      start: { ...child([]), indexes: [{ name: "IDX_child_id_parent", columns: ["id", "parentId"], unique: false }] },
      ops: [
        { kind: "dropIndex", table: "children", index: { name: "IDX_child_id_parent", columns: ["id", "parentId"], unique: false } },
        { kind: "dropForeignKey", table: "children", foreignKey: { ...fk } },
      ],
    },
    {
      // Whether the server drops its own index once a declared one serves the key differs
      // between servers: the SQL must not depend on it.
      name: "a unique index comes to serve a key that had the server's index, then goes, then the key",
      start: child([]),
      ops: [
        { kind: "createUnique", table: "children", unique: { name: "UQ_parent_id", columns: ["parentId", "id"] } },
        { kind: "dropUnique", table: "children", unique: { name: "UQ_parent_id", columns: ["parentId", "id"] } },
        { kind: "dropForeignKey", table: "children", foreignKey: { ...fk } },
      ],
    },
    {
      name: "the serving index dropped, then the key",
      start: child([byParent]),
      ops: [
        { kind: "dropIndex", table: "children", index: byParent },
        { kind: "dropForeignKey", table: "children", foreignKey: { ...fk } },
      ],
    },
  ];
  for (const flavour of [MYSQL8, MARIADB]) {
    for (const s of scenarios) {
      it(`${flavour.mariadb ? "MariaDB" : "MySQL 8"}: ${s.name}`, async () => {
        const db = await createMysqlDatabase("autogen_flavour");
        const conn = await mysql.connect(db.url);
        try {
          let state = schema();
          for (const op of [
            { kind: "createTable", table: parent },
            { kind: "createTable", table: s.start },
          ] as Op[]) {
            for (const sql of renderOp(op, state, flavour)) await conn.query(sql);
            state = applyOps(state, [op]);
          }
          expect(await introspect(conn)).toEqual(mysql.normalizeSchema(state));
          for (const op of s.ops) {
            for (const sql of renderOp(op, state, flavour)) await conn.query(sql);
            state = applyOps(state, [op]);
          }
          expect(await introspect(conn)).toEqual(mysql.normalizeSchema(state));
          const leftover = await conn.query<{ n: string }>(
            "SELECT DISTINCT INDEX_NAME AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'children' ORDER BY 1",
          );
          const declared = state.tables.find((t) => t.name === "children")!.indexes.map((i) => i.name);
          expect(leftover.map((r) => r.n).sort()).toEqual(["PRIMARY", ...declared].sort());
        } finally {
          await conn.close();
          await db.drop();
        }
      });
    }
  }
});
