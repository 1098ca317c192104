/**
 * The migration log (`<versionTable>_log`), on real SQLite and PostgreSQL: a row per
 * applied and reverted revision with checksum, time, duration and autogen version;
 * `rollback` reverts only the last upgrade run (`--step N`: the last N revisions); an
 * applied revision edited afterwards makes `check` and `upgrade` exit 3 naming it, and
 * `stamp --rehash` accepts the edit; a database in use before the log existed gets one.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Workspace } from "../src/api/index.js";
import { createTempDir, DATABASE_KINDS, type TempDir } from "./helpers/databases.js";
import { REPO_ROOT, fixtureEntities } from "./helpers/project.js";
import { runCli } from "./helpers/cli.js";

// Each test runs several CLI processes in turn: on a busy machine that takes minutes, not seconds.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

for (const kind of DATABASE_KINDS) {
  const { dialect } = kind;
  describe.skipIf(!(await kind.available()))(`migration log (${dialect})`, () => {
    let tmp: TempDir;
    let db: { url: string; cleanup(): Promise<void> } | undefined;
    let url = "";
    const configure = (entities: string) =>
      writeFileSync(
        tmp.file("autogen.config.json"),
        JSON.stringify({ url, entities: [fixtureEntities(entities)], versionsDir: "versions" }),
      );
    const query = async (sql: string) => {
      const ws = new Workspace({ config: tmp.file("autogen.config.json") });
      return ws.withConnection((conn) => conn.query<Record<string, unknown>>(sql));
    };
    const log = async () =>
      (await query(`SELECT * FROM autogen_version_log ORDER BY id`)).map((r) => ({
        revision: r.revision,
        action: r.action,
        batch: Number(r.batch),
      }));
    const current = async () => (await runCli(["current"], { cwd: tmp.dir })).stdout;

    beforeAll(async () => {
      tmp = createTempDir("autogen-ci-log-");
      db = await kind.create("autogen_ci_log");
      url = db.url;
      configure("ci-before");
      expect((await runCli(["revision", "--autogenerate", "-m", "first", "--rev-id", "aaaa0001"], { cwd: tmp.dir })).status).toBe(0);
      expect((await runCli(["upgrade", "head"], { cwd: tmp.dir })).status).toBe(0);
      configure("ci-after");
      expect((await runCli(["revision", "--autogenerate", "-m", "second", "--rev-id", "bbbb0002"], { cwd: tmp.dir })).status).toBe(0);
      // Back to an empty database with no log: the tests start from there.
      expect((await runCli(["downgrade", "base", "--force"], { cwd: tmp.dir })).status).toBe(0);
      await query("DROP TABLE autogen_version_log");
      writeFileSync(
        tmp.file("versions/cccc0003_third.ts"),
        `export const revision = "cccc0003";\nexport const downRevision = "bbbb0002";\nexport const message = "third";\nexport function upgrade(op: any) { op.execute("UPDATE users SET email = email", { reverse: "UPDATE users SET email = email" }); }\nexport function downgrade(op: any) { op.execute("UPDATE users SET email = email"); }\n`,
      );
    });
    afterAll(async () => {
      await db?.cleanup();
      tmp.remove();
    });

    it("logs every applied revision with its checksum, time, duration, version and run", async () => {
      expect((await runCli(["upgrade", "aaaa0001"], { cwd: tmp.dir })).status).toBe(0);
      expect((await runCli(["upgrade", "head"], { cwd: tmp.dir })).status).toBe(0);
      const rows = await query(`SELECT * FROM autogen_version_log ORDER BY id`);
      expect(rows.map((r) => [r.revision, r.action, Number(r.batch)])).toEqual([
        ["aaaa0001", "upgrade", 1],
        ["bbbb0002", "upgrade", 2],
        ["cccc0003", "upgrade", 2],
      ]);
      for (const r of rows) {
        expect(String(r.checksum)).toMatch(/^[0-9a-f]{64}$/);
        expect(Date.parse(String(r.applied_at))).not.toBeNaN();
        expect(Number(r.duration_ms)).toBeGreaterThanOrEqual(0);
        expect(r.autogen_version).toBe(JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")).version);
      }
      // Bookkeeping, not drift.
      const check = await runCli(["check", "--format", "json"], { cwd: tmp.dir });
      expect(check.stdout).not.toContain("autogen_version_log");
      expect(check.stderr).toBe("");
      expect(check.status).toBe(0);
    });

    it("rollback after two upgrade runs reverts only the last run's revisions", async () => {
      const r = await runCli(["rollback"], { cwd: tmp.dir });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(r.stdout).toContain("Running downgrade cccc0003 -> bbbb0002");
      expect(r.stdout).toContain("Running downgrade bbbb0002 -> aaaa0001");
      expect(r.stdout).not.toContain("aaaa0001 -> <base>");
      expect(await current()).toContain("aaaa0001 (current)");
      expect((await log()).slice(-2)).toEqual([
        { revision: "cccc0003", action: "downgrade", batch: 3 },
        { revision: "bbbb0002", action: "downgrade", batch: 3 },
      ]);
      // The run before is the next one back.
      expect((await runCli(["rollback"], { cwd: tmp.dir })).stdout).toContain("Running downgrade aaaa0001 -> <base>");
      expect(await current()).toContain("<base>");
      expect((await runCli(["rollback"], { cwd: tmp.dir })).stdout).toContain("Nothing to roll back");
    });

    it("rollback --step N reverts the last N revisions", async () => {
      expect((await runCli(["upgrade", "head"], { cwd: tmp.dir })).status).toBe(0);
      const r = await runCli(["rollback", "--step", "1"], { cwd: tmp.dir });
      expect(r.status).toBe(0);
      expect(r.stdout.trim().split("\n")).toEqual(["Running downgrade cccc0003 -> bbbb0002, third"]);
      expect(await current()).toContain("bbbb0002 (current)");
      expect((await runCli(["rollback", "--step", "0"], { cwd: tmp.dir })).status).toBe(2);
      expect((await runCli(["upgrade", "head"], { cwd: tmp.dir })).status).toBe(0);
    });

    it("an applied revision edited afterwards: check and upgrade exit 3 naming it; stamp --rehash accepts the edit", async () => {
      const file = tmp.file(`versions/${readdirSync(tmp.file("versions")).find((f) => f.startsWith("bbbb0002"))!}`);
      const original = readFileSync(file, "utf8");
      // Same effect on the schema the models describe, but not what was applied: a changed revision.
      writeFileSync(
        file,
        original.replace(
          "export function upgrade(op: Operations): void {",
          'export function upgrade(op: Operations): void {\n  op.execute("SELECT 1");',
        ),
      );
      expect(readFileSync(file, "utf8")).not.toBe(original);
      const check = await runCli(["check"], { cwd: tmp.dir });
      expect(check.status).toBe(3);
      expect(check.stderr.trim().split("\n")).toHaveLength(1);
      expect(check.stderr).toContain("applied revision bbbb0002");
      expect(check.stderr).toContain(file);
      expect(check.stderr).toContain("autogen stamp --rehash bbbb0002");
      const json = JSON.parse((await runCli(["check", "--format", "json"], { cwd: tmp.dir })).stdout);
      expect(json).toMatchObject({ exitCode: 3, error: { category: "state" } });
      const up = await runCli(["upgrade", "head"], { cwd: tmp.dir });
      expect(up.status).toBe(3);
      expect(up.stderr).toContain("applied revision bbbb0002");

      // Formatting alone is no change.
      writeFileSync(file, readFileSync(file, "utf8").replace(/\n/g, "\n\n"));
      expect((await runCli(["check"], { cwd: tmp.dir })).status).toBe(3);
      const rehash = await runCli(["stamp", "--rehash", "bbbb0002"], { cwd: tmp.dir });
      expect(rehash.stderr).toBe("");
      expect(rehash.status).toBe(0);
      expect((await runCli(["check"], { cwd: tmp.dir })).status).toBe(0);
      writeFileSync(file, original.replace(/\n/g, "\n\n"));
      // Back to the original text: a change against the rehashed checksum, reported again.
      expect((await runCli(["check"], { cwd: tmp.dir })).status).toBe(3);
      expect((await runCli(["stamp", "--rehash", "bbbb0002"], { cwd: tmp.dir })).status).toBe(0);
      writeFileSync(file, original);
      expect((await runCli(["check"], { cwd: tmp.dir })).status).toBe(0);
      expect((await runCli(["stamp", "--rehash", "zzzz"], { cwd: tmp.dir })).status).not.toBe(0);
    });

    it("a database in use before the log existed gets one, with a baseline per applied revision", async () => {
      await query("DROP TABLE autogen_version_log");
      expect((await runCli(["rollback", "--step", "1"], { cwd: tmp.dir })).status).toBe(0);
      expect((await log()).map((r) => [r.revision, r.action])).toEqual([
        ["aaaa0001", "baseline"],
        ["bbbb0002", "baseline"],
        ["cccc0003", "baseline"],
        ["cccc0003", "downgrade"],
      ]);
      expect((await runCli(["upgrade", "head"], { cwd: tmp.dir })).status).toBe(0);
      expect((await runCli(["check"], { cwd: tmp.dir })).status).toBe(0);
    });
  });
}
