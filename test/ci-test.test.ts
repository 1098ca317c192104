/**
 * `autogen test` (pytest-alembic's suite, built in) on every database: it
 * passes on models-example (copied to a temp dir) with and without --seed; a revision
 * whose downgrade leaves its table behind fails the stairway naming it; two heads fail
 * "single head"; the configured database is never touched and the scratch one is gone
 * afterwards (on a server: made there with the configured database's character set, and
 * dropped); --format json validates against schemas/report.schema.json.
 */
import { cpSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDialect } from "../src/dialects/index.js";
import { createTempDir, DATABASE_KINDS, type TempDir } from "./helpers/databases.js";
import { REPO_ROOT, MODELS_EXAMPLE_DIR } from "./helpers/project.js";
import { runCli } from "./helpers/cli.js";

// Each test runs several CLI processes in turn: on a busy machine that takes minutes, not seconds.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const validate = new Ajv({ strict: true }).compile(JSON.parse(readFileSync(path.join(REPO_ROOT, "schemas/report.schema.json"), "utf8")));

for (const kind of DATABASE_KINDS) {
  const { dialect } = kind;
  describe.skipIf(!(await kind.available()))(`autogen test (${dialect})`, () => {
    let tmp: TempDir;
    let db: { url: string; cleanup(): Promise<void> } | undefined;
    let url = "";
    const versions = () => readdirSync(tmp.file("versions")).filter((f) => f.endsWith(".ts"));

    beforeAll(async () => {
      tmp = createTempDir("autogen-ci-test-");
      cpSync(MODELS_EXAMPLE_DIR, tmp.file("models-example"), { recursive: true });
      // The seeders import "autogen": resolve it to this repository's build.
      mkdirSync(tmp.file("node_modules"));
      symlinkSync(REPO_ROOT, tmp.file("node_modules/autogen"), "dir");
      db = await kind.create("autogen_ci_test");
      url = db.url;
      writeFileSync(
        tmp.file("autogen.config.json"),
        JSON.stringify({ url, entities: ["models-example/entities/*.ts"], versionsDir: "versions", seedsDir: "models-example/seeds" }),
      );
      expect((await runCli(["revision", "--autogenerate", "-m", "initial"], { cwd: tmp.dir })).status).toBe(0);
    });
    afterAll(async () => {
      await db?.cleanup();
      tmp.remove();
    });

    it("passes on models-example, names every check, and leaves the configured database alone", async () => {
      const before = (await runCli(["current"], { cwd: tmp.dir })).stdout;
      // Scratch databases an earlier, killed run may have left are not this run's to judge.
      const scratchBefore = await kind.scratchDatabases();
      const r = await runCli(["test"], { cwd: tmp.dir });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      for (const name of ["single head", "upgrade base to head", "stairway", "models match head", "downgrade to base"]) {
        expect(r.stdout).toContain(`PASS  ${name}`);
      }
      expect(r.stdout).toContain("SKIP  seeded rows survive");
      expect((await runCli(["current"], { cwd: tmp.dir })).stdout).toBe(before);
      expect(before).toContain("<base>");
      expect(await kind.scratchDatabases()).toEqual(scratchBefore);

      const json = await runCli(["test", "--format", "json"], { cwd: tmp.dir });
      expect(json.status).toBe(0);
      const report = JSON.parse(json.stdout);
      expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
      expect(report.checks.map((c: { name: string }) => c.name)).toEqual([
        "single head",
        "upgrade base to head",
        "stairway",
        "models match head",
        "seeded rows survive",
        "downgrade to base",
      ]);
    });

    it("--seed: the seeders run at head and the stairway keeps their rows", async () => {
      const r = await runCli(["test", "--seed", "--faker-seed", "7"], { cwd: tmp.dir });
      expect(r.stderr).toBe("");
      expect(r.stdout).toContain("PASS  seeded rows survive");
      expect(r.status).toBe(0);
    });

    it("a downgrade that leaves its table behind fails the stairway, naming the revision", async () => {
      const [first] = versions();
      const head = first!.split("_")[0]!;
      writeFileSync(
        tmp.file("versions/bad00001_audit.ts"),
        `export const revision = "bad00001";
export const downRevision = ${JSON.stringify(head)};
export const message = "audit log";
export function upgrade(op: any) {
  op.createTable("audit", { columns: [{ name: "id", type: "integer", nullable: false }], primaryKey: { columns: ["id"] } });
}
export function downgrade(op: any) {
  // forgot op.dropTable("audit")
}
`,
      );
      const scratchBefore = await kind.scratchDatabases();
      const r = await runCli(["test", "--format", "json"], { cwd: tmp.dir });
      expect(r.status).toBe(1);
      expect(await kind.scratchDatabases()).toEqual(scratchBefore);
      const report = JSON.parse(r.stdout);
      expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
      const stairway = report.checks.find((c: { name: string }) => c.name === "stairway");
      expect(stairway).toMatchObject({ status: "failed", revision: "bad00001" });
      expect(stairway.message).toContain("downgrade of bad00001 does not restore the schema");
      expect(stairway.message).toContain('op.dropTable("audit")');
      expect(report.checks.find((c: { name: string }) => c.name === "single head").status).toBe("passed");
      const text = await runCli(["test"], { cwd: tmp.dir });
      expect(text.status).toBe(1);
      expect(text.stdout).toMatch(/^FAIL {2}stairway: downgrade of bad00001/m);
      const github = await runCli(["test", "--format", "github"], { cwd: tmp.dir });
      expect(github.stdout).toMatch(/^::error title=autogen test%3A stairway \(bad00001\)::downgrade of bad00001/m);
    });

    it("two heads fail 'single head' and say to merge them", async () => {
      const [first] = versions().filter((f) => !f.startsWith("bad"));
      const head = first!.split("_")[0]!;
      writeFileSync(
        tmp.file("versions/bad00001_audit.ts"),
        `export const revision = "bad00001";\nexport const downRevision = ${JSON.stringify(head)};\nexport function upgrade(op: any) {}\nexport function downgrade(op: any) {}\n`,
      );
      writeFileSync(
        tmp.file("versions/side0001_side.ts"),
        `export const revision = "side0001";\nexport const downRevision = ${JSON.stringify(head)};\nexport function upgrade(op: any) {}\nexport function downgrade(op: any) {}\n`,
      );
      const r = await runCli(["test"], { cwd: tmp.dir });
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(
        /^FAIL {2}single head: 2 heads \((bad00001, side0001|side0001, bad00001)\): merge them with `autogen merge heads/m,
      );
    });

    it("a server that cannot be reached is exit 4", async () => {
      const scheme = getDialect(dialect).urls.schemes[0]!;
      const nowhere = kind.server ? `${scheme}://nobody@127.0.0.1:1/x` : `${scheme}:${tmp.file("no/such/dir/x.sqlite")}`;
      const r = await runCli(["test", "--url", nowhere], { cwd: tmp.dir });
      if (kind.server) {
        expect(r.status).toBe(4);
        expect(r.stderr).toContain("cannot create a scratch database");
      } else {
        // SQLite's scratch file lives in a temp dir of its own: the configured path does not matter.
        expect(r.status).toBe(1);
      }
    });
  });
}
