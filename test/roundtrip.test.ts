/**
 * The acceptance round trip, on every database kind (test/helpers/databases.ts
 * DATABASE_KINDS: SQLite, PostgreSQL, MySQL/MariaDB), through the public API:
 * models-example -> autogenerate -> upgrade head -> the database equals the models
 * (our introspector, and TypeORM's own schema builder as an outside oracle) -> a second
 * autogenerate writes nothing -> downgrade base leaves only the version table.
 * Plus: a varchar length change is an alterColumn that keeps the rows.
 */
import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { downgrade, revision, upgrade, Workspace } from "../src/api/index.js";
import { readDatabaseSchema, readTargetSchema } from "../src/autogenerate.js";
import { DATABASE_KINDS, type DatabaseKind } from "./helpers/databases.js";
import { createProject, fixtureEntities, MODELS_EXAMPLE, type TestProject } from "./helpers/project.js";
import { typeormPendingQueries } from "./helpers/typeorm-oracle.js";

interface Target {
  url: string;
  cleanup(): Promise<void>;
}

async function tablesInDatabase(project: TestProject, kind: DatabaseKind): Promise<string[]> {
  const ws = new Workspace({ config: project.config });
  return ws.withConnection(async (conn) => (await conn.query<{ name: string }>(kind.tablesQuery)).map((r) => r.name));
}

// One description, every database this machine has (DATABASE_KINDS).
for (const kind of DATABASE_KINDS) {
  const skip = !(await kind.available());
  const t = { dialect: kind.dialect, skip, make: (): Promise<Target> => kind.create("autogen_roundtrip") };
  describe.skipIf(t.skip)(`round trip on ${t.dialect}`, () => {
    let target: Target;
    let project: TestProject;

    beforeAll(async () => {
      target = await t.make();
      project = createProject({ url: target.url, entities: [MODELS_EXAMPLE] });
    });
    afterAll(async () => {
      project?.remove();
      await target?.cleanup();
    });

    it("autogenerates the whole schema from empty, applies it, and the database then equals the models", async () => {
      const first = await revision({ config: project.config, message: "create users and posts", autogenerate: true });
      expect(first.written).toBe(true);
      if (!first.written) return;
      const kinds = first.ops.map((o) => o.kind);
      expect(kinds.filter((k) => k === "createTable").length).toBeGreaterThanOrEqual(6); // 5 entities + post_tags
      expect(readFileSync(first.path, "utf8")).toContain("export function downgrade(op: Operations)");

      const up = await upgrade({ config: project.config, target: "head" });
      expect(up.steps).toHaveLength(1);

      const ws = new Workspace({ config: project.config });
      const modelIR = await readTargetSchema(ws.config, ws.dialect);
      const dbIR = await ws.withConnection((conn) => readDatabaseSchema(conn, ws.config, ws.dialect));
      expect(dbIR).toEqual(modelIR);
    });

    it("leaves TypeORM's own schema builder nothing to do", async () => {
      const pending = await typeormPendingQueries(t.dialect, target.url, [MODELS_EXAMPLE]);
      expect(pending).toEqual([]);
    });

    it("writes no file on a second autogenerate", async () => {
      const before = readdirSync(project.dir.file("versions"));
      const second = await revision({ config: project.config, message: "nothing", autogenerate: true });
      expect(second.written).toBe(false);
      expect(readdirSync(project.dir.file("versions"))).toEqual(before);
    });

    it("offline --sql, run by the database's own client, builds the same schema as online", async () => {
      const { sql } = await upgrade({ config: project.config, target: "head", sql: true });
      const offline = await t.make();
      try {
        kind.runScript(offline.url, sql as string);
        const online = new Workspace({ config: project.config });
        const fromScript = new Workspace({ config: project.config, url: offline.url });
        const read = (ws: Workspace) => ws.withConnection((c) => readDatabaseSchema(c, ws.config, ws.dialect));
        expect(await read(fromScript)).toEqual(await read(online));
        expect(await fromScript.withConnection((c) => fromScript.readHeads(c))).toEqual(
          await online.withConnection((c) => online.readHeads(c)),
        );
      } finally {
        await offline.cleanup();
      }
    });

    it("downgrades to base, leaving only the version table", async () => {
      await downgrade({ config: project.config, target: "base", force: true });
      expect(await tablesInDatabase(project, kind)).toEqual(["autogen_version", "autogen_version_log"]); // bookkeeping: version table and migration log
    });
  });

  describe.skipIf(t.skip)(`varchar length change on ${t.dialect}`, () => {
    let target: Target;
    let project: TestProject;

    beforeAll(async () => {
      target = await t.make();
      project = createProject({ url: target.url, entities: [fixtureEntities("length-100")] });
    });
    afterAll(async () => {
      project?.remove();
      await target?.cleanup();
    });

    it("generates an alterColumn (not drop + add) and keeps every row", async () => {
      await revision({ config: project.config, message: "articles", autogenerate: true });
      await upgrade({ config: project.config });
      const ws = new Workspace({ config: project.config });
      const rows = [
        ["a".repeat(100), "first"],
        ["second title", null],
        ["third's title", "with 'quotes'"],
      ];
      await ws.withConnection(async (conn) => {
        for (const [title, summary] of rows) {
          const lit = (v: string | null | undefined) => (v == null ? "NULL" : ws.dialect.quoteLiteral(v));
          await conn.query(`INSERT INTO articles (title, summary) VALUES (${lit(title)}, ${lit(summary)})`);
        }
      });
      const readRows = () => ws.withConnection((conn) => conn.query("SELECT id, title, summary FROM articles ORDER BY id"));
      const before = await readRows();
      expect(before).toHaveLength(3);

      project.write({ url: target.url, entities: [fixtureEntities("length-150")] });
      const change = await revision({ config: project.config, message: "longer titles", autogenerate: true });
      expect(change.written).toBe(true);
      if (!change.written) return;
      expect(change.ops).toHaveLength(1);
      const [op] = change.ops;
      expect(op).toMatchObject({ kind: "alterColumn", table: "articles", column: "title" });
      if (op?.kind !== "alterColumn") return;
      expect(op.changes.type?.from.length).toBe(100);
      expect(op.changes.type?.to.length).toBe(150);
      // Widening is safe; its downgrade narrows, and the file says so right above that line.
      const text = readFileSync(change.path, "utf8");
      const upgradeBody = text.slice(text.indexOf("export function upgrade"), text.indexOf("export function downgrade"));
      const downgradeBody = text.slice(text.indexOf("export function downgrade"));
      expect(upgradeBody).not.toContain("// autogen:");
      expect(downgradeBody).toMatch(/\/\/ autogen:[^\n]*\n(\s*\/\/[^\n]*\n)*\s*op\.alterColumn\("articles", "title"/);

      await upgrade({ config: project.config });
      expect(await readRows()).toEqual(before);
      // And a 150-character title now fits.
      await ws.withConnection((conn) => conn.query(`INSERT INTO articles (title) VALUES (${ws.dialect.quoteLiteral("b".repeat(150))})`));
      const after = await revision({ config: project.config, message: "nothing", autogenerate: true });
      expect(after.written).toBe(false);
    });
  });
}
