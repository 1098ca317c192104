/**
 * `autogen baseline` adopts a database TypeORM built (synchronize, then its own
 * migrations, with a row in TypeORM's `migrations` table and user rows), on every
 * database: one revision, the database stamped at it, `check`, `check --offline` and
 * `autogen test` clean, autogenerate silent, TypeORM's table and the user rows
 * untouched; the baseline replayed on an empty database leaves TypeORM's own schema
 * builder nothing to do. And it refuses, in one line, where it has nothing to adopt.
 */
import { cpSync, readdirSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Workspace } from "../src/api/index.js";
import { getDialect } from "../src/dialects/index.js";
import { createTempDir, DATABASE_KINDS, type TempDir } from "./helpers/databases.js";
import { MODELS_EXAMPLE_DIR } from "./helpers/project.js";
import { runCli } from "./helpers/cli.js";
import { typeormBuild, typeormPendingQueries } from "./helpers/typeorm-oracle.js";

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

/** A uuid key and an enum column beside models-example's tables. */
const ACCOUNT = `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

@Entity({ name: "accounts" })
export class Account {
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @Column({ type: "varchar", length: 80 })
  name!: string;

  @Column({ type: "simple-enum", enum: ["free", "paid"], default: "free" })
  plan!: string;
}
`;

/** What TypeORM's `migration:run` leaves: the class's row in `migrations`. */
class AddFirstCategory1700000000000 {
  name = "AddFirstCategory1700000000000";
  async up(qr: { query(sql: string): Promise<unknown> }): Promise<void> {
    await qr.query(`INSERT INTO categories (name) VALUES ('news')`);
  }
  async down(): Promise<void> {}
}

for (const kind of DATABASE_KINDS) {
  describe.skipIf(!(await kind.available()))(`autogen baseline (${kind.dialect})`, () => {
    let tmp: TempDir;
    const cleanups: Array<() => Promise<void>> = [];
    let url = "";
    const globs = () => [tmp.file("app/entities/*.ts")];
    const cli = (...args: string[]) => runCli(args, { cwd: tmp.dir });
    const rows = async (sql: string) => new Workspace({ config: tmp.file("autogen.config.json") }).withConnection((c) => c.query(sql));

    beforeAll(async () => {
      tmp = createTempDir("autogen-baseline-");
      cpSync(MODELS_EXAMPLE_DIR, tmp.file("app"), { recursive: true });
      writeFileSync(tmp.file("app/entities/Account.ts"), ACCOUNT);
      const db = await kind.create("autogen_baseline");
      cleanups.push(db.cleanup);
      url = db.url;
      writeFileSync(
        tmp.file("autogen.config.json"),
        JSON.stringify({ url, entities: ["app/entities/*.ts"], versionsDir: "versions", tsconfig: "app/tsconfig.json" }),
      );
      await typeormBuild(kind.dialect, url, globs(), [AddFirstCategory1700000000000], async (ds) => {
        await ds.query(
          `INSERT INTO users (email, ${getDialect(kind.dialect).quoteIdent("displayName")}) VALUES ('ada@example.com', 'Ada')`,
        );
      });
    });
    afterAll(async () => {
      for (const c of cleanups) await c();
      tmp.remove();
    });

    it("writes one revision, stamps the database at it, and leaves TypeORM's table and the rows alone", async () => {
      const before = { migrations: await rows("SELECT * FROM migrations"), users: await rows("SELECT * FROM users") };
      expect(before.migrations).toHaveLength(1);

      const r = await cli("baseline", "-m", "adopt");
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(r.stdout).toContain("Left out TypeORM's own table(s): migrations");
      const files = readdirSync(tmp.file("versions")).filter((f) => /^[0-9a-f]+_.*\.ts$/.test(f));
      expect(files).toHaveLength(1);
      const id = files[0]!.split("_")[0]!;
      expect(r.stdout).toContain(`Stamped ${id}`);

      expect((await cli("current")).stdout).toContain(id);
      expect(await rows("SELECT * FROM migrations")).toEqual(before.migrations);
      expect(await rows("SELECT * FROM users")).toEqual(before.users);
    });

    it("leaves check, check --offline, autogenerate and autogen test clean", async () => {
      const online = await cli("check");
      expect(online.stdout + online.stderr).not.toMatch(/drift|error/i);
      expect(online.status).toBe(0);
      expect((await cli("check", "--offline")).status).toBe(0);
      const auto = await cli("revision", "--autogenerate", "-m", "nothing");
      expect(auto.stdout).toContain("No changes in schema detected.");
      const t = await cli("test");
      expect(t.stdout).not.toContain("FAIL");
      expect(t.status).toBe(0);
    });

    it("replayed on an empty database, leaves TypeORM's schema builder nothing to do", async () => {
      const empty = await kind.create("autogen_baseline_empty");
      cleanups.push(empty.cleanup);
      const up = await runCli(["upgrade", "head", "--url", empty.url], { cwd: tmp.dir });
      expect(up.stderr).toBe("");
      expect(up.status).toBe(0);
      expect(await typeormPendingQueries(kind.dialect, empty.url, globs())).toEqual([]);
    });

    it("refuses, in one line, on a stamped database or beside existing revisions", async () => {
      const again = await cli("baseline");
      expect(again.status).toBe(1);
      expect(again.stderr.trim().split("\n")).toHaveLength(1);
      expect(again.stderr).toContain("already holds 1 revision(s)");
      expect(again.stderr).toContain("autogen stamp head");
      // Another project (no revisions) pointed at the stamped database.
      const other = createTempDir("autogen-baseline-other-");
      cleanups.push(async () => other.remove());
      const stamped = await runCli(["baseline", "--url", url], { cwd: other.dir });
      expect(stamped.status).toBe(1);
      expect(stamped.stderr.trim().split("\n")).toHaveLength(1);
      expect(stamped.stderr).toContain("the database is already stamped at");
    });
  });
}
