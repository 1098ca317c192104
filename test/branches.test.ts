/**
 * The revision graph against every database kind (DATABASE_KINDS: SQLite, PostgreSQL,
 * MySQL/MariaDB), through the API:
 * two branches from one base, both applied (two version rows), the multiple-heads
 * refusal, merge, downgrade back to two heads, stamp / --purge, history markers,
 * offline --sql run through the database's own client giving the same schema and rows as online,
 * and `fresh` refusing without --force.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as api from "../src/api/index.js";
import { Workspace } from "../src/api/index.js";
import { readDatabaseSchema } from "../src/autogenerate.js";
import { UserError } from "../src/errors.js";
import { DATABASE_KINDS } from "./helpers/databases.js";
import { createProject, type TestProject } from "./helpers/project.js";

function revisionFile(id: string, down: string | string[] | null, table: string | null): string {
  const body = table
    ? `op.createTable("${table}", { columns: [
        { name: "id", type: "integer", nullable: false },
        { name: "label", type: "varchar", length: 40, nullable: true, default: "'x'" },
      ], primaryKey: { name: "PK_${table}", columns: ["id"] } });`
    : "";
  const undo = table ? `op.dropTable("${table}", { columns: [] });` : "";
  return `export const revision = "${id}";
export const downRevision = ${JSON.stringify(down)};
export const message = "rev ${id}";
export function upgrade(op: any): void { ${body} }
export function downgrade(op: any): void { ${undo} }
`;
}

interface Db {
  url: string;
  cleanup(): Promise<void>;
}

async function rows(project: TestProject, url?: string): Promise<string[]> {
  const ws = new Workspace({ config: project.config, ...(url ? { url } : {}) });
  return ws.withConnection((conn) => ws.readHeads(conn));
}

async function rejection(promise: Promise<unknown>): Promise<UserError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error("expected the call to fail");
}

// One description, every database this machine has (DATABASE_KINDS).
for (const kind of DATABASE_KINDS) {
  const dialect = kind.dialect;
  const makeDb = (): Promise<Db> => kind.create("autogen_branches");
  describe.skipIf(!(await kind.available()))(`branches and merges on ${dialect}`, () => {
    let db: Db;
    let project: TestProject;
    let cfg: { config: string };

    beforeAll(async () => {
      db = await makeDb();
      project = createProject({ url: db.url });
      cfg = { config: project.config };
      const versions = project.dir.file("versions");
      mkdirSync(versions, { recursive: true });
      writeFileSync(`${versions}/r1_base.ts`, revisionFile("r1", null, "alpha"));
      writeFileSync(`${versions}/r2a_left.ts`, revisionFile("r2a", "r1", "beta"));
      writeFileSync(`${versions}/r2b_right.ts`, revisionFile("r2b", "r1", "gamma"));
    });
    afterAll(async () => {
      project?.remove();
      await db?.cleanup();
    });

    it("applies both branches: two rows in the version table, heads shows both", async () => {
      await api.upgrade({ ...cfg, target: "heads" });
      expect(await rows(project)).toEqual(["r2a", "r2b"]);
      expect((await api.heads(cfg)).map((h) => h.revision).sort()).toEqual(["r2a", "r2b"]);
    });

    it("refuses `upgrade head` with the multiple-heads error", async () => {
      const err = await rejection(api.upgrade({ ...cfg, target: "head" }));
      expect(err.message).toMatch(/Multiple heads are present: r2a, r2b/);
      expect(err.message).toMatch(/autogen merge heads/);
    });

    it("merges the heads, upgrades through the merge, and downgrade -1 returns to two heads", async () => {
      const merged = await api.merge({ ...cfg, message: "merge branches", revId: "m1" });
      expect(merged.downRevision).toEqual(["r2a", "r2b"]);
      await api.upgrade({ ...cfg, target: "head" });
      expect(await rows(project)).toEqual(["m1"]);
      const history = await api.history({ ...cfg, indicateCurrent: true });
      expect(history[0]).toMatchObject({ revision: "m1", isHead: true, isCurrent: true, isMergePoint: true });
      expect(history.find((h) => h.revision === "r1")).toMatchObject({ isBranchPoint: true, isCurrent: false, isApplied: true });

      await api.downgrade({ ...cfg, target: "-1" });
      expect(await rows(project)).toEqual(["r2a", "r2b"]);
      await api.upgrade({ ...cfg, target: "head" });
    });

    it("stamps without running migrations, and --purge replaces every row", async () => {
      await api.stamp({ ...cfg, revisions: ["r1"] });
      expect(await rows(project)).toEqual(["r1"]);
      const ws = new Workspace(cfg);
      const tables = (await ws.withConnection((c) => readDatabaseSchema(c, ws.config, ws.dialect))).tables.map((t) => t.name);
      expect(tables).toEqual(["alpha", "beta", "gamma"]); // nothing was dropped
      await api.stamp({ ...cfg, revisions: ["r2a"], purge: true });
      expect(await rows(project)).toEqual(["r2a"]);
      await api.stamp({ ...cfg, revisions: ["m1"], purge: true });
      expect(await rows(project)).toEqual(["m1"]);
    });

    it("status lists every revision in order, all applied", async () => {
      const status = await api.status(cfg);
      const order = status.map((s) => s.revision);
      expect(order[0]).toBe("r1");
      expect(order[3]).toBe("m1");
      expect([...order].sort()).toEqual(["m1", "r1", "r2a", "r2b"]);
      expect(status.every((s) => s.applied)).toBe(true);
    });

    it("upgrade head --sql, run by the database's own client on an empty database, matches online upgrade", async () => {
      const { sql } = await api.upgrade({ ...cfg, target: "head", sql: true });
      expect(sql).toBeDefined();
      expect(sql).toMatch(/autogen_version/);
      const offline = await makeDb();
      try {
        kind.runScript(offline.url, sql as string);
        const ws = new Workspace(cfg);
        const online = await ws.withConnection((c) => readDatabaseSchema(c, ws.config, ws.dialect));
        const wsOffline = new Workspace({ ...cfg, url: offline.url });
        const fromScript = await wsOffline.withConnection((c) => readDatabaseSchema(c, wsOffline.config, wsOffline.dialect));
        expect(fromScript).toEqual(online);
        expect(await rows(project, offline.url)).toEqual(await rows(project));
      } finally {
        await offline.cleanup();
      }
    });

    it("refuses `fresh` without --force when it cannot ask, and changes nothing", async () => {
      const before = await rows(project);
      const err = await rejection(api.fresh(cfg));
      expect(err.message).toMatch(/refusing .* without --force/);
      expect(await rows(project)).toEqual(before);
      const declined = await rejection(api.fresh({ ...cfg, confirm: async () => false }));
      expect(declined.message).toMatch(/not confirmed/);
      expect(await rows(project)).toEqual(before);
    });

    it("fresh --force drops everything and upgrades head again", async () => {
      const result = await api.fresh({ ...cfg, force: true });
      expect(result.dropped).toEqual(expect.arrayContaining(["alpha", "beta", "gamma"]));
      expect(result.steps).toHaveLength(4);
      expect(await rows(project)).toEqual(["m1"]);
    });

    it("reset downgrades to base; refresh brings it back", async () => {
      await api.reset(cfg);
      expect(await rows(project)).toEqual([]);
      await api.refresh(cfg);
      expect(await rows(project)).toEqual(["m1"]);
    });
  });
}
