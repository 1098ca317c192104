/**
 * `check --offline` against online `check`, on every evolution fixture and both
 * dialects: before each step's revision exists, both must report the same operations
 * (the drift the next revision will hold); after it is written and applied, both must be
 * clean. The offline side never connects (an unreachable URL of the same dialect).
 * Raw SQL in a revision is reported as not replayable, with its revision.
 */
import { readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { check, heads, revision, upgrade, type CheckResult } from "../src/api/index.js";
import { renderOpCall } from "../src/codegen/index.js";
import type { RenameHints } from "../src/diff/types.js";
import { createTempDir, DATABASE_KINDS, type TempDir } from "./helpers/databases.js";
import { createProject, REPO_ROOT, type TestProject } from "./helpers/project.js";

// Each test runs several CLI processes in turn: on a busy machine that takes minutes, not seconds.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const EVOLUTION = path.join(REPO_ROOT, "fixtures/evolution");
const STEPS = readdirSync(EVOLUTION)
  .filter((d) => /^step-\d+$/.test(d))
  .map((d) => Number(d.slice(5)))
  .sort((a, b) => a - b);
/** Steps whose models use PostgreSQL-only types (fixtures/evolution/README.md). */
const PG_ONLY = new Set([26, 27, 28, 29]);
/** The renames test/evolution.test.ts confirms (the rest are drop + add on both sides alike). */
const RENAMES: Record<number, RenameHints> = {
  13: { columns: { "users.name": "displayName" } },
  20: { columns: { "posts.title": "headline" } },
  21: { tables: { categories: "sections" } },
};

const calls = (r: CheckResult) => r.ops.map(renderOpCall);

for (const kind of DATABASE_KINDS) {
  const { dialect } = kind;
  describe.skipIf(!(await kind.available()))(`check --offline equals check (${dialect})`, () => {
    let project: TestProject;
    let tmp: TempDir;
    let pg: { url: string; cleanup(): Promise<void> } | undefined;
    let url = "";
    let unreachable = "";

    beforeAll(async () => {
      tmp = createTempDir("autogen-ci-offline-");
      pg = await kind.create("autogen_ci_offline");
      url = pg.url;
      unreachable = kind.unreachableUrl();
      project = createProject({ url, entities: [] });
    });
    afterAll(async () => {
      await pg?.cleanup();
      project?.remove();
      tmp.remove();
    });

    const steps = STEPS.filter((n) => dialect === "postgres" || !PG_ONLY.has(n));
    for (const n of steps) {
      it(`step ${n}: same drift before the revision, both clean after it`, async () => {
        project.write({ url, entities: [path.join(EVOLUTION, `step-${n}`, "*.ts")] });
        const online = await check({ config: project.config });
        const offline = await check({ config: project.config, url: unreachable, offline: true });
        expect(online.ok).toBe(false);
        expect(offline.offline).toBe(true);
        expect(calls(offline)).toEqual(calls(online));
        expect(offline.findings.map((f) => f.kind)).toEqual(online.findings.map((f) => f.kind));
        expect(offline.notReplayable).toEqual([]);

        const written = await revision({
          config: project.config,
          message: `step ${n}`,
          autogenerate: true,
          ...(RENAMES[n] ? { renames: RENAMES[n] } : {}),
        });
        expect(written.written).toBe(true);
        await upgrade({ config: project.config, target: "head" });
        const after = await check({ config: project.config });
        const afterOffline = await check({ config: project.config, url: unreachable, offline: true });
        expect(calls(after)).toEqual([]);
        expect(calls(afterOffline)).toEqual([]);
        expect(afterOffline.ok).toBe(true);
      });
    }

    it("raw SQL is reported as not replayable, with its revision; a data step's code is not run at all", async () => {
      const versions = readdirSync(project.dir.file("versions")).filter((f) => f.endsWith(".ts"));
      expect(versions.length).toBe(steps.length);
      const [head] = await heads({ config: project.config });
      writeFileSync(
        project.dir.file("versions/zzzz0001_data.ts"),
        [
          `export const revision = "zzzz0001";`,
          `export const downRevision = ${JSON.stringify(head!.revision)};`,
          `export function upgrade(op: any) {`,
          `  op.execute("UPDATE users SET email = lower(email)");`,
          `}`,
          `export function downgrade(op: any) {}`,
          "",
        ].join("\n"),
      );
      writeFileSync(
        project.dir.file("versions/zzzz0002_data.ts"),
        [
          `export const revision = "zzzz0002";`,
          `export const downRevision = "zzzz0001";`,
          `export async function upgrade(op: any) {`,
          `  const rows = await op.query("SELECT id FROM users");`,
          `  for (const row of rows) op.execute("UPDATE posts SET views = 0 WHERE id = " + row.id);`,
          `}`,
          `export function downgrade(op: any) {}`,
          "",
        ].join("\n"),
      );
      const offline = await check({ config: project.config, url: unreachable, offline: true });
      expect(offline.ok).toBe(true);
      expect(offline.notReplayable).toEqual([
        expect.objectContaining({ revision: "zzzz0001", call: "execute", sql: "UPDATE users SET email = lower(email)" }),
        expect.objectContaining({
          revision: "zzzz0002",
          call: "code",
          sql: expect.stringMatching(/^not run: it reads rows with op\.query/),
        }),
      ]);
    });
  });
}
