/**
 * `check` reports every difference between models and database, including ones no
 * operation can express (a table comment), so a CI drift check can be trusted.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { check, revision, upgrade, Workspace } from "../src/api/index.js";
import { getDialect } from "../src/dialects/index.js";
import { DATABASE_KINDS } from "./helpers/databases.js";
import { createProject, MODELS_EXAMPLE, type TestProject } from "./helpers/project.js";

for (const kind of DATABASE_KINDS) {
  const { setTableComment } = getDialect(kind.dialect).testing;
  describe.skipIf(!(await kind.available()))(`check on ${kind.dialect}`, () => {
    let db: { url: string; cleanup(): Promise<void> };
    let project: TestProject;
    beforeAll(async () => {
      db = await kind.create("autogen_check");
      project = createProject({ url: db.url, entities: [MODELS_EXAMPLE] });
      await revision({ config: project.config, message: "init", autogenerate: true });
      await upgrade({ config: project.config });
    });
    afterAll(async () => {
      project?.remove();
      await db?.cleanup();
    });

    it("passes when the database matches the models", async () => {
      expect(await check({ config: project.config })).toMatchObject({ ok: true, ops: [], findings: [] });
    });

    // A table comment is such a difference, where tables have comments.
    it.runIf(setTableComment !== undefined)(
      "fails on a difference no operation can express, and autogenerate shows it without writing",
      async () => {
        const ws = new Workspace({ config: project.config });
        await ws.withConnection((c) => c.query(setTableComment!("users", "stale")));
        const result = await check({ config: project.config });
        expect(result.ok).toBe(false);
        expect(result.ops).toEqual([]);
        expect(result.findings.map((f) => [f.kind, f.table])).toEqual([["unsupported", "users"]]);
        const logged: string[] = [];
        const r = await revision({ config: project.config, message: "x", autogenerate: true, log: (l) => logged.push(l) });
        expect(r.written).toBe(false);
        expect(logged.join("\n")).toMatch(/No changes in schema detected\.\n\s+autogen: unsupported: .*users/);
      },
    );
  });
}
