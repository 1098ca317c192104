/**
 * Engine and collation names are written into MySQL DDL as bare words: only plain names
 * pass, refused with one line naming the table before any statement of the batch is
 * built; a collation without a character set (MariaDB's uca1400_*) is refused too.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDialect } from "../src/dialects/index.js";
import { typeormMapping } from "../src/dialects/mysql/typeorm.js";
import { UserError } from "../src/errors.js";
import type { Op } from "../src/ops/ops.js";
import { emptySchema, type SchemaIR, type TableIR } from "../src/schema/ir.js";
import type { DbConnection } from "../src/dialects/dialect.js";
import { createMysqlDatabase, mysqlAvailable } from "./helpers/databases.js";

const mysql = getDialect("mysql");
const table = (name: string, extra: Partial<TableIR> = {}): TableIR => ({
  name,
  columns: [{ name: "id", type: "int", nullable: false }],
  primaryKey: { columns: ["id"] },
  foreignKeys: [],
  uniques: [],
  indexes: [],
  checks: [],
  ...extra,
});
const withTable = (t: TableIR): SchemaIR => ({ ...emptySchema("mysql"), tables: [t] });
const oneLine = (fn: () => unknown, pattern: RegExp) => {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(UserError);
  expect((caught as Error).message).not.toMatch(/\n/);
  expect((caught as Error).message).toMatch(pattern);
};

describe("MySQL engine and collation names", () => {
  it("refuses an engine that is not a plain name, naming the table, before any statement of the batch", () => {
    const bad = "InnoDB; DROP TABLE x";
    const ops: Op[] = [
      { kind: "createTable", table: table("fine") },
      { kind: "createTable", table: table("notes", { engine: bad }) },
    ];
    oneLine(() => mysql.renderOps(ops, emptySchema("mysql")), /table notes: engine "InnoDB; DROP TABLE x" is not a plain name/);
    oneLine(
      () =>
        mysql.renderOp(
          { kind: "alterTable", table: "notes", changes: { engine: { from: null, to: bad } } } as Op,
          withTable(table("notes")),
        ),
      /table notes: engine "InnoDB; DROP TABLE x"/,
    );
  });

  it("refuses a bad engine already when reading the entity", () => {
    oneLine(
      () => typeormMapping.tableAttributes!({ engine: "MyISAM`; --" }, "audit"),
      /table audit: engine "MyISAM`; --" is not a plain name/,
    );
    expect(typeormMapping.tableAttributes!({ engine: "MyISAM" }, "audit")).toEqual({ engine: "MyISAM" });
  });

  it("refuses a collation that is not a plain name", () => {
    oneLine(
      () =>
        mysql.renderOp(
          { kind: "createTable", table: table("notes", { collation: "utf8mb4_bin COLLATE x; DROP TABLE y" }) },
          emptySchema("mysql"),
        ),
      /table notes: collation/,
    );
    oneLine(
      () =>
        mysql.renderOp(
          { kind: "alterTable", table: "notes", changes: { collation: { from: null, to: "latin1_bin;x" } } } as Op,
          withTable(table("notes")),
        ),
      /table notes: collation "latin1_bin;x"/,
    );
  });

  it("refuses a charset-less uca1400 collation and takes the full name", () => {
    oneLine(
      () => mysql.renderOp({ kind: "createTable", table: table("notes", { collation: "uca1400_ai_ci" }) }, emptySchema("mysql")),
      /table notes: collation uca1400_ai_ci names no character set .* no connection .* e\.g\. utf8mb4_uca1400_ai_ci/,
    );
    const [create] = mysql.renderOp(
      { kind: "createTable", table: table("notes", { collation: "utf8mb4_uca1400_ai_ci" }) },
      emptySchema("mysql"),
    );
    expect(create).toMatch(/DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_uca1400_ai_ci$/);
    const [convert] = mysql.renderOp(
      { kind: "alterTable", table: "notes", changes: { collation: { from: null, to: "latin1_swedish_ci" } } } as Op,
      withTable(table("notes")),
    );
    expect(convert).toBe("ALTER TABLE `notes` CONVERT TO CHARACTER SET latin1 COLLATE latin1_swedish_ci");
  });
});

describe.skipIf(!(await mysqlAvailable()))("a charset-less collation with a connection", () => {
  let db: Awaited<ReturnType<typeof createMysqlDatabase>>;
  let conn: DbConnection;
  beforeAll(async () => {
    db = await createMysqlDatabase("autogen_names");
    conn = await mysql.connect(db.url);
  });
  afterAll(async () => {
    await conn?.close();
    await db?.drop();
  });

  it("is paired with the database's character set, as the server itself pairs it", async () => {
    const [row] = await conn.query<{ s: string; uca: number }>(
      "SELECT @@character_set_database AS s, (SELECT COUNT(*) FROM information_schema.COLLATIONS WHERE COLLATION_NAME = 'uca1400_ai_ci') AS uca",
    );
    const server = mysql.forServer!(conn);
    const [create] = server.renderOp({ kind: "createTable", table: table("notes", { collation: "uca1400_ai_ci" }) }, emptySchema("mysql"));
    expect(create).toMatch(new RegExp(`DEFAULT CHARACTER SET ${row!.s} COLLATE uca1400_ai_ci$`));
    // MariaDB before 10.10 has no uca1400 collations: the rendered text is all there is to check.
    if (Number(row!.uca) === 0) return;
    await conn.query(create!);
    const [made] = await conn.query<{ c: string }>(
      "SELECT TABLE_COLLATION AS c FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'notes'",
    );
    expect(made!.c).toBe(`${row!.s}_uca1400_ai_ci`);
  });
});
