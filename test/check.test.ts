/**
 * `check` reports every difference between models and database, including ones no
 * operation can express (a table comment), so a CI drift check can be trusted.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { check, revision, upgrade, Workspace } from "../src/api/index.js";
import { createPgDatabase, pgAvailable, type TestPgDatabase } from "./helpers/databases.js";
import { createProject, MODELS_EXAMPLE, type TestProject } from "./helpers/project.js";

const PG = await pgAvailable();

describe.skipIf(!PG)("check on PostgreSQL", () => {
  let db: TestPgDatabase;
  let project: TestProject;
  beforeAll(async () => {
    db = await createPgDatabase("autogen_check");
    project = createProject({ url: db.url, entities: [MODELS_EXAMPLE] });
    await revision({ config: project.config, message: "init", autogenerate: true });
    await upgrade({ config: project.config });
  });
  afterAll(async () => {
    project?.remove();
    await db?.drop();
  });

  it("passes when the database matches the models", async () => {
    expect(await check({ config: project.config })).toMatchObject({ ok: true, ops: [], findings: [] });
  });

  it("fails on a difference no operation can express, and autogenerate shows it without writing", async () => {
    const ws = new Workspace({ config: project.config });
    await ws.withConnection((c) => c.query(`COMMENT ON TABLE users IS 'stale'`));
    const result = await check({ config: project.config });
    expect(result.ok).toBe(false);
    expect(result.ops).toEqual([]);
    expect(result.findings.map((f) => [f.kind, f.table])).toEqual([["unsupported", "users"]]);
    const logged: string[] = [];
    const r = await revision({ config: project.config, message: "x", autogenerate: true, log: (l) => logged.push(l) });
    expect(r.written).toBe(false);
    expect(logged.join("\n")).toMatch(/No changes in schema detected\.\n\s+autogen: unsupported: .*users/);
  });
});
