/**
 * A project moving from TypeORM's own `migration:run` has a `migrations` table (and
 * maybe `typeorm_metadata`). They are not the models' tables: autogenerate must not
 * drop them, and `check` must not call them drift.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { check, revision, upgrade, Workspace } from "../src/api/index.js";
import { createTempDir, sqliteUrl, type TempDir } from "./helpers/databases.js";
import { createProject, MODELS_EXAMPLE, type TestProject } from "./helpers/project.js";

describe("TypeORM's bookkeeping tables", () => {
  let db: TempDir;
  let project: TestProject;
  beforeAll(async () => {
    db = createTempDir();
    project = createProject({ url: sqliteUrl(db), entities: [MODELS_EXAMPLE] });
    const ws = new Workspace({ config: project.config });
    await ws.withConnection(async (c) => {
      await c.query(
        `CREATE TABLE "migrations" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "timestamp" bigint NOT NULL, "name" varchar NOT NULL)`,
      );
      await c.query(`INSERT INTO "migrations" ("timestamp", "name") VALUES (1700000000000, 'Init1700000000000')`);
      await c.query(
        `CREATE TABLE "typeorm_metadata" ("type" varchar NOT NULL, "database" varchar, "schema" varchar, "table" varchar, "name" varchar, "value" text)`,
      );
    });
  });
  afterAll(() => {
    project.remove();
    db.remove();
  });

  it("are never dropped by autogenerate nor reported by check", async () => {
    const r = await revision({ config: project.config, message: "adopt autogen", autogenerate: true });
    if (!r.written) throw new Error("expected a revision");
    const touched = r.ops.map((o) => {
      if (!("table" in o)) return "";
      return typeof o.table === "string" ? o.table : o.table.name;
    });
    expect(touched).not.toContain("migrations");
    expect(touched).not.toContain("typeorm_metadata");
    await upgrade({ config: project.config });
    expect((await check({ config: project.config })).ok).toBe(true);
    const ws = new Workspace({ config: project.config });
    const rows = await ws.withConnection((c) => c.query(`SELECT "name" FROM "migrations"`));
    expect(rows).toEqual([{ name: "Init1700000000000" }]);
  });
});
