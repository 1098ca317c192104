/**
 * SQLite's batch mode per revision: consecutive changes to one table that each need a
 * rebuild are one rebuild (one CREATE TABLE "temporary_…", one row copy), online and
 * in --sql alike, and the rows survive.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as api from "../src/api/index.js";
import { Workspace } from "../src/api/index.js";
import type { DbConnection } from "../src/dialects/dialect.js";
import { getDialect } from "../src/dialects/index.js";
import { applyOps } from "../src/ops/apply.js";
import type { Op } from "../src/ops/ops.js";
import type { SchemaIR } from "../src/schema/ir.js";
import { createTempDir, sqliteUrl, type TempDir } from "./helpers/databases.js";
import { createProject, type TestProject } from "./helpers/project.js";

const sqlite = getDialect("sqlite");

const ITEMS = {
  name: "items",
  columns: [
    { name: "id", type: "integer", nullable: false },
    { name: "label", type: "varchar", length: 20, nullable: true },
    { name: "qty", type: "integer", nullable: true },
  ],
  primaryKey: { columns: ["id"] },
  foreignKeys: [],
  uniques: [],
  indexes: [],
  checks: [],
};

const BASE = `export const revision = "b1";
export const downRevision = null;
export function upgrade(op: any): void {
  op.createTable("items", ${JSON.stringify({ columns: ITEMS.columns, primaryKey: ITEMS.primaryKey })});
  op.execute("INSERT INTO items (id, label, qty) VALUES (1, 'one', 1), (2, 'two', 3)", { reverse: "DELETE FROM items" });
}
export function downgrade(op: any): void {
  op.execute("DELETE FROM items");
  op.dropTable("items", ${JSON.stringify({ columns: ITEMS.columns, primaryKey: ITEMS.primaryKey })});
}
`;

/** Three changes to one table, each a rebuild on its own. */
const THREE = `export const revision = "b2";
export const downRevision = "b1";
export function upgrade(op: any): void {
  op.alterColumn("items", "label", { type: { from: { type: "varchar", length: 20 }, to: { type: "varchar", length: 50 } } });
  op.alterColumn("items", "qty", { nullable: { from: true, to: false }, default: { from: null, to: "0" } });
  op.createCheckConstraint("CHK_qty", "items", "qty >= 0");
}
export function downgrade(op: any): void {
  op.dropCheckConstraint("CHK_qty", "items", "qty >= 0");
  op.alterColumn("items", "qty", { nullable: { from: false, to: true }, default: { from: "0", to: null } });
  op.alterColumn("items", "label", { type: { from: { type: "varchar", length: 50 }, to: { type: "varchar", length: 20 } } });
}
`;

const rebuilds = (statements: readonly string[]) => statements.filter((s) => /CREATE TABLE "temporary_/.test(s)).length;

describe("SQLite renderOps", () => {
  const state: SchemaIR = { dialect: "sqlite", tables: [structuredClone(ITEMS)], enums: [] };
  const three: Op[] = [
    {
      kind: "alterColumn",
      table: "items",
      column: "label",
      changes: { type: { from: { type: "varchar", length: 20 }, to: { type: "varchar", length: 50 } } },
    },
    {
      kind: "alterColumn",
      table: "items",
      column: "qty",
      changes: { nullable: { from: true, to: false }, default: { from: null, to: "0" } },
    },
    { kind: "createCheck", table: "items", check: { name: "CHK_qty", expression: "qty >= 0" } },
  ] as Op[];

  it("folds three changes to one table into one rebuild; op by op they are three", () => {
    expect(rebuilds(three.flatMap((op, i) => sqlite.renderOp(op, stateAfter(state, three.slice(0, i)))))).toBe(3);
    const folded = sqlite.renderOps(three, state);
    expect(rebuilds(folded)).toBe(1);
    expect(folded.filter((s) => s.startsWith("INSERT INTO")).length).toBe(1);
    expect(folded.find((s) => s.startsWith('CREATE TABLE "temporary_items"'))).toMatch(/varchar\(50\).*CHK_qty/s);
  });

  it("does not fold across a column rename (the copy matches columns by name)", () => {
    const ops = [
      three[0]!,
      { kind: "renameColumn", table: "items", from: "qty", to: "quantity" },
      { kind: "createCheck", table: "items", check: { name: "CHK_q", expression: "quantity >= 0" } },
    ] as Op[];
    const out = sqlite.renderOps(ops, state);
    expect(rebuilds(out)).toBe(2);
    expect(out.some((s) => /RENAME COLUMN "qty" TO "quantity"/.test(s))).toBe(true);
  });
});

const stateAfter = (start: SchemaIR, ops: Op[]): SchemaIR => applyOps(start, ops);

describe("SQLite revision with three changes to one table", () => {
  let dir: TempDir;
  let project: TestProject;
  beforeAll(() => {
    dir = createTempDir();
    project = createProject({ url: sqliteUrl(dir) });
    mkdirSync(project.dir.file("versions"));
    writeFileSync(project.dir.file("versions/b1_base.ts"), BASE);
    writeFileSync(project.dir.file("versions/b2_three.ts"), THREE);
  });
  afterAll(() => {
    project?.remove();
    dir?.remove();
  });

  it("--sql writes one rebuild for the revision", async () => {
    const { sql } = await api.upgrade({ config: project.config, target: "b1:b2", sql: true });
    expect(rebuilds((sql ?? "").split("\n"))).toBe(1);
  });

  it("online runs one rebuild, keeps the rows, and downgrades with one rebuild too", async () => {
    const sent: string[] = [];
    const connect = sqlite.connect;
    // A spy on the real connection: every statement still reaches the database.
    (sqlite as { connect: typeof connect }).connect = async (url) => {
      const conn = await connect(url);
      return new Proxy(conn, {
        get(target, key, receiver) {
          if (key === "query") {
            return (statement: string, params?: unknown[]) => {
              sent.push(statement);
              return target.query(statement, params);
            };
          }
          return Reflect.get(target, key, receiver) as unknown;
        },
      }) as DbConnection;
    };
    try {
      await api.upgrade({ config: project.config, target: "b1" });
      sent.length = 0;
      await api.upgrade({ config: project.config });
      expect(rebuilds(sent)).toBe(1);
      const ws = new Workspace({ config: project.config });
      const rows = await ws.withConnection((c) => c.query("SELECT id, label, qty FROM items ORDER BY id"));
      expect(rows).toEqual([
        { id: 1, label: "one", qty: 1 },
        { id: 2, label: "two", qty: 3 },
      ]);
      sent.length = 0;
      await api.downgrade({ config: project.config, target: "b1" });
      expect(rebuilds(sent)).toBe(1);
    } finally {
      (sqlite as { connect: typeof connect }).connect = connect;
    }
  });
});
