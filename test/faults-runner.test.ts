/**
 * Faults in the runner, caused for real on every database (issue 15 items 1, 2 and 9):
 * the CLI killed with SIGKILL at a chosen statement (test/helpers/faults.ts), tables made
 * outside autogen, log rows lost. After each: schema, version table and migration log
 * agree, nothing the user made is dropped, and a re-run finishes cleanly.
 *
 * The project: four entities, r1 generated from them (create-only), r2 a hand-written data
 * migration that appends a line to a file (so every run of its code is counted), reads
 * rows with op.query and writes with op.execute.
 */
import { readFileSync, existsSync, appendFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDialect } from "../src/dialects/index.js";
import { assertBuilt } from "./helpers/cli.js";
import { DATABASE_KINDS } from "./helpers/databases.js";
import { createFaultProject, type FaultProject } from "./helpers/faults.js";

const MODELS = `import { Column, Entity, Index, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
@Entity("author")
export class Author {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: "varchar", length: 100 }) name!: string;
}
@Entity("shelf")
export class Shelf {
  @PrimaryGeneratedColumn() id!: number;
  @Index() @Column({ type: "varchar", length: 50 }) label!: string;
}
@Entity("book")
export class Book {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: "varchar", length: 200 }) title!: string;
  @ManyToOne(() => Author) author!: Author;
  @ManyToOne(() => Shelf) shelf!: Shelf;
}
@Entity("reader")
export class Reader {
  @PrimaryGeneratedColumn() id!: number;
  @Index({ unique: true }) @Column({ type: "varchar", length: 100 }) email!: string;
}
`;

const R1_TABLES = ["author", "book", "reader", "shelf"];

const dataMigration = (counter: string) => `import { appendFileSync } from "node:fs";
import type { Operations } from "autogen";

export const revision = "r2";
export const downRevision = "r1";
export const message = "count the authors";

export async function upgrade(op: Operations): Promise<void> {
  appendFileSync(${JSON.stringify(counter)}, "upgrade\\n");
  const rows = (await op.query("SELECT count(*) AS n FROM author")) as Array<{ n: unknown }>;
  op.execute("INSERT INTO author (name) VALUES ('seen " + Number(rows[0]?.n ?? -1) + "')");
}

export function downgrade(op: Operations): void {
  appendFileSync(${JSON.stringify(counter)}, "downgrade\\n");
  op.execute("DELETE FROM author WHERE name LIKE 'seen %'");
}
`;

const VERSION_ROW = `^(INSERT INTO|UPDATE) [\`"]autogen_version[\`"] `;
const logInsert = (revision: string, action: string) => `^INSERT INTO [\`"]autogen_version_log[\`"] .*'${revision}', '${action}'`;

for (const kind of DATABASE_KINDS) {
  describe.skipIf(!(await kind.available()))(`runner faults on ${kind.dialect}`, () => {
    let p: FaultProject;
    let counter: string;
    const transactional = getDialect(kind.dialect).capabilities.transactionalDDL;
    // Where a transaction can hold only so many locks (Dialect.locks), a small lock budget splits a revision's transaction.
    const splits = getDialect(kind.dialect).locks !== undefined;
    // A revision that stops half way leaves some of its tables: it was split, or its DDL committed as it ran.
    const leavesPart = splits || !transactional;

    const runs = () => (existsSync(counter) ? readFileSync(counter, "utf8").trim().split("\n").filter(Boolean) : []);
    const versions = async () => (await p.query<{ v: string }>("SELECT version_num AS v FROM autogen_version")).map((r) => String(r.v));
    const log = async () =>
      (
        await p.query<{ revision: string; action: string; checksum: string | null }>(
          "SELECT revision, action, checksum FROM autogen_version_log ORDER BY id",
        )
      ).map((r) => ({ revision: String(r.revision), action: String(r.action), checksum: r.checksum === null ? null : String(r.checksum) }));
    const userTables = async () => (await p.tables()).filter((t) => !t.startsWith("autogen_"));
    const ok = async (args: string[]) => {
      const r = await p.run(args);
      expect(r.stderr, `${args.join(" ")}: ${r.stderr}`).toBe("");
      expect(r.status).toBe(0);
      return r;
    };
    /** Schema, version table and log agree at head, and the models match: check exits 0. */
    const agreesAtHead = async () => {
      expect(await versions()).toEqual(["r2"]);
      expect((await userTables()).filter((t) => t !== "mine")).toEqual(R1_TABLES);
      const last = new Map((await log()).map((e) => [e.revision, e]));
      expect(last.get("r1")?.checksum).toBeTruthy();
      expect(last.get("r2")?.checksum).toBeTruthy();
      // A finished run leaves no mark of an unfinished one.
      expect((await log()).filter((e) => e.action === "partial")).toEqual([]);
      await ok(["check"]);
    };

    beforeAll(async () => {
      assertBuilt();
      p = await createFaultProject(kind, `autogen_faults_${kind.dialect}`);
      counter = p.dir.file("runs.log");
      p.file("models/library.ts", MODELS);
      // "mine" is the user's own table, made outside autogen: never drift, never dropped.
      p.file(
        "autogen.config.json",
        JSON.stringify({ url: p.url, entities: ["models/*.ts"], versionsDir: "versions", excludeTables: ["mine"] }),
      );
      await ok(["revision", "--autogenerate", "-m", "library", "--rev-id", "r1"]);
      p.file("versions/r2_count.ts", dataMigration(counter));
    }, 120_000);
    afterAll(async () => p?.remove());

    it("a data migration's code runs once per apply: never again for a no-op upgrade, check, check --offline, lint or --sql", async () => {
      const r = await ok(["upgrade", "head"]);
      expect(r.stdout).toMatch(/Running upgrade r1 -> r2, count the authors/);
      expect(runs()).toEqual(["upgrade"]);
      // op.query saw the real rows, on the one run there was.
      expect((await p.query<{ name: string }>("SELECT name FROM author")).map((x) => x.name)).toEqual(["seen 0"]);
      await ok(["upgrade", "head"]);
      await ok(["check"]);
      const offline = await p.run(["check", "--offline", "--format", "json"]);
      expect(offline.status).toBe(0);
      const report = JSON.parse(offline.stdout) as { notReplayable: Array<{ revision: string; call: string; sql: string }> };
      // r2 is named, not run; r1 (generated, pure) is replayed.
      expect(report.notReplayable).toEqual([
        expect.objectContaining({ revision: "r2", call: "code", sql: expect.stringMatching(/imports "node:fs" at run time/) }),
      ]);
      const lint = await p.run(["lint"]);
      expect(lint.stdout).toMatch(/r2_count\.ts: not linted: imports "node:fs" at run time/);
      const sql = await p.run(["upgrade", "r1:r2", "--sql"]);
      expect(sql.status).toBe(1);
      expect(sql.stderr).toMatch(/r2_count\.ts: upgrade\(\) of r2 imports "node:fs" at run time .*offline script stops before r2/);
      expect(runs()).toEqual(["upgrade"]);
      await agreesAtHead();
    });

    it("an edit of that migration is still noticed (its text's checksum), without running it", async () => {
      appendFileSync(p.dir.file("versions/r2_count.ts"), "// reviewed\n");
      const check = await p.run(["check"]);
      expect(check.status).toBe(3);
      expect(check.stderr).toMatch(/applied revision r2 \(.*r2_count\.ts\) changed since it was applied/);
      await ok(["stamp", "--rehash", "r2"]);
      await ok(["check"]);
      expect(runs()).toEqual(["upgrade"]);
    });

    it("a missing log row: check exits 3 naming it, upgrade records it as a baseline in one line, check is clean", async () => {
      await p.query("DELETE FROM autogen_version_log WHERE revision = 'r1'");
      const check = await p.run(["check"]);
      expect(check.status).toBe(3);
      expect(check.stderr.trim().split("\n")).toHaveLength(1);
      expect(check.stderr).toMatch(/applied revision r1 \(.*\) has no checksum in the migration log/);
      const up = await ok(["upgrade", "head"]);
      expect(up.stdout.split("\n").filter((l) => /no row in the migration log/.test(l))).toHaveLength(1);
      expect(up.stdout).toMatch(
        /note: applied revision\(s\) r1 had no row in the migration log .* recorded as a baseline; an edit made before now cannot be detected/,
      );
      expect((await log()).filter((e) => e.revision === "r1").map((e) => e.action)).toEqual(["baseline"]);
      await agreesAtHead();
      expect(runs()).toEqual(["upgrade"]);
    });

    it("killed right after a revision's version row: the log row is in the same transaction (or repaired where DDL commits)", async () => {
      await ok(["downgrade", "base", "--force"]);
      expect(runs()).toEqual(["upgrade", "downgrade"]);
      const logged = (await log()).length;
      // Transactional: r1's version row, before its commit. MariaDB: r2's, each statement committing as it runs.
      const killed = await p.run(["upgrade", "head"], { kill: { sql: VERSION_ROW, nth: transactional ? 1 : 2 } });
      expect(killed.status).toBeNull();
      if (transactional) {
        // The version row was not committed: neither were the tables nor the log row.
        expect(await versions()).toEqual([]);
        expect(await userTables()).toEqual([]);
        expect((await log()).length).toBe(logged);
      } else {
        // DDL and each row commit as they run: r2 is applied, its log row never written.
        expect(await versions()).toEqual(["r2"]);
        expect((await check3()).stderr).toMatch(/applied revision r2 .* has no checksum in the migration log/);
      }
      const up = await ok(["upgrade", "head"]);
      if (!transactional) expect(up.stdout).toMatch(/note: applied revision\(s\) r2 had no row in the migration log/);
      expect(runs()).toEqual(["upgrade", "downgrade", "upgrade"]);
      await agreesAtHead();
    });

    async function check3() {
      const r = await p.run(["check"]);
      expect(r.status).toBe(3);
      return r;
    }

    it.skipIf(!transactional)("killed right after a revision's commit: version row and log row are both there", async () => {
      await ok(["downgrade", "r1"]);
      const killed = await p.run(["upgrade", "head"], { kill: { arm: logInsert("r2", "upgrade"), sql: "^COMMIT" } });
      expect(killed.status).toBeNull();
      expect(await versions()).toEqual(["r2"]);
      expect((await log()).at(-1)).toMatchObject({ revision: "r2", action: "upgrade" });
      await ok(["upgrade", "head"]);
      await agreesAtHead();
    });

    it("killed while the log table is baselined: all baseline rows or none (repaired where DDL commits)", async () => {
      await p.query("DROP TABLE autogen_version_log");
      const killed = await p.run(["upgrade", "head"], { kill: { sql: logInsert("r1", "baseline") } });
      expect(killed.status).toBeNull();
      if (transactional) {
        expect((await p.tables()).includes("autogen_version_log")).toBe(false);
      } else {
        expect((await log()).map((e) => e.revision)).toEqual(["r1"]);
        expect((await check3()).stderr).toMatch(/applied revision r2 .* has no checksum/);
      }
      await ok(["upgrade", "head"]);
      expect((await log()).map((e) => `${e.revision} ${e.action}`)).toEqual(["r1 baseline", "r2 baseline"]);
      await agreesAtHead();
    });

    it("a create-only revision whose tables exist (never stamped) is refused, naming them; nothing dropped; stamp goes on", async () => {
      const before = runs().length;
      await ok(["downgrade", "base", "--force"]);
      await ok(["upgrade", "r1"]);
      // The schema is there but the version table forgot it (a restore, a by-hand setup).
      await p.query("DELETE FROM autogen_version");
      await p.query("INSERT INTO author (name) VALUES ('Ada')");
      await p.query("CREATE TABLE mine (id integer)");
      await p.query("INSERT INTO mine (id) VALUES (7)");
      const r = await p.run(["upgrade", "head"]);
      expect(r.status).toBe(1);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(/r1_library\.ts: revision r1 only creates objects, but table "author", .* already exist in the database/);
      expect(r.stderr).toMatch(/nothing was changed.*`autogen stamp r1`/);
      expect(await versions()).toEqual([]);
      expect((await p.query<{ name: string }>("SELECT name FROM author")).map((x) => x.name)).toEqual(["Ada"]);
      expect((await p.query<{ id: number }>("SELECT id FROM mine")).map((x) => Number(x.id))).toEqual([7]);
      await ok(["stamp", "r1"]);
      // Stamping gives r1 a checksum in the log (nothing to repair, nothing for check to report).
      expect((await log()).at(-1)).toMatchObject({ revision: "r1", action: "baseline" });
      const up = await ok(["upgrade", "head"]);
      expect(up.stdout).not.toMatch(/note:/);
      expect(runs().length).toBe(before + 2);
      await agreesAtHead();
    });

    it("killed between a create-only revision's commits (statements, where DDL commits as it runs): the next upgrade goes on", async () => {
      await ok(["downgrade", "base", "--force"]);
      const split = splits ? { lockBudget: [4, 10] as [number, number] } : {};
      // With a lock budget: r1 split in several transactions (a small lock table), killed after the first commit;
      // elsewhere: killed after its second CREATE TABLE.
      const kill = splits ? { arm: logInsert("r1", "partial"), sql: "^COMMIT" } : { sql: "^CREATE TABLE", nth: 2 };
      const killed = await p.run(["upgrade", "head"], { ...split, kill });
      expect(killed.status).toBeNull();
      expect(await versions()).toEqual([]);
      const left = (await userTables()).filter((t) => t !== "mine");
      if (!leavesPart) expect(left).toEqual([]);
      else {
        expect(left.length).toBeGreaterThan(0);
        expect(left.length).toBeLessThan(R1_TABLES.length);
        expect((await log()).at(-1)).toMatchObject({ revision: "r1", action: "partial" });
      }
      const r = await p.run(["upgrade", "head"], split);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      if (leavesPart) expect(r.stdout).toMatch(/note: revision r1: an earlier run stopped after its first \d+ of \d+ operations/);
      expect((await p.query<{ id: number }>("SELECT id FROM mine")).map((x) => Number(x.id))).toEqual([7]);
      await agreesAtHead();
    });

    it("a log from before (checksum recorded by running the data migration) is re-recorded by upgrade, said in one line, without running it", async () => {
      const before = runs().length;
      await p.query(`UPDATE autogen_version_log SET checksum = '${"ab".repeat(32)}' WHERE revision = 'r2'`);
      const check = await check3();
      expect(check.stderr).toMatch(/applied revision r2 .* has no checksum in the migration log .*recorded by running its code/);
      const up = await ok(["upgrade", "head"]);
      expect(up.stdout).toMatch(/note: the log's checksums of r2 were recorded by running their code, .* recorded instead \(rehash\)/);
      await agreesAtHead();
      expect(runs().length).toBe(before);
    });
  });
}
