/**
 * Issue 7.7 on PostgreSQL: a revision that says `export const transaction = false` runs
 * statement by statement, so CREATE/DROP INDEX CONCURRENTLY work; asking for CONCURRENTLY
 * in a transactional revision is refused before anything runs; a failure outside a
 * transaction names the statements that ran and leaves the version row unwritten; an
 * enum value is added with ALTER TYPE … ADD VALUE, without rewriting the table.
 */
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgAvailable } from "./helpers/databases.js";
import { createSafetyProject, type SafetyProject } from "./helpers/safety.js";

const PG = await pgAvailable();

const THING = (values: string[]) => `
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
@Entity("thing")
export class Thing {
  @PrimaryGeneratedColumn()
  id!: number;
  @Column({ type: "varchar", length: 50 })
  name!: string;
  @Column({ type: "enum", enum: ${JSON.stringify(values)}, enumName: "thing_mood" })
  mood!: string;
}
`;

const revisionFile = (
  id: string,
  down: string,
  body: string,
  downBody: string,
  transaction: boolean,
) => `import type { Operations } from "autogen";
export const revision = "${id}";
export const downRevision = "${down}";
export const message = "${id}";
${transaction ? "" : "export const transaction = false;\n"}export function upgrade(op: Operations): void {
  ${body}
}
export function downgrade(op: Operations): void {
  ${downBody}
}
`;

describe.skipIf(!PG)("outside a transaction, on PostgreSQL", () => {
  let project: SafetyProject;
  const versions = async () => (await project.query(`SELECT version_num FROM autogen_version`)).map((r) => r.version_num);
  const indexValid = async (name: string) =>
    (await project.query(`SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = '${name}'`)).map(
      (r) => r.indisvalid,
    );

  beforeAll(async () => {
    project = await createSafetyProject("postgres");
    project.entity("thing", THING(["happy", "sad"]));
    expect((await project.cli(["revision", "--autogenerate", "-m", "thing", "--rev-id", "r1"])).status).toBe(0);
    expect((await project.cli(["upgrade", "head"])).status).toBe(0);
    await project.query(`INSERT INTO thing (name, mood) VALUES ('a', 'happy'), ('b', 'sad')`);
  });
  afterAll(async () => project?.remove());

  it("CONCURRENTLY in a transactional revision is refused before anything runs", async () => {
    writeFileSync(
      project.dir.file("versions/r2_index.ts"),
      revisionFile(
        "r2",
        "r1",
        `op.createIndex("IDX_thing_name", "thing", ["name"], { concurrently: true });`,
        `op.dropIndex("IDX_thing_name", "thing", ["name"], { concurrently: true });`,
        true,
      ),
    );
    const r = await project.cli(["upgrade", "head"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("export const transaction = false");
  });

  it("CREATE INDEX CONCURRENTLY through a non-transactional revision; the version row once; and back down", async () => {
    writeFileSync(
      project.dir.file("versions/r2_index.ts"),
      revisionFile(
        "r2",
        "r1",
        `op.createIndex("IDX_thing_name", "thing", ["name"], { concurrently: true });`,
        `op.dropIndex("IDX_thing_name", "thing", ["name"], { concurrently: true });`,
        false,
      ),
    );
    const offline = await project.cli(["upgrade", "r1:r2", "--sql"]);
    expect(offline.stdout).toContain(`CREATE INDEX CONCURRENTLY "IDX_thing_name" ON "thing" ("name");`);
    expect(offline.stdout.split("-- Running upgrade r1 -> r2")[1]).not.toMatch(/^BEGIN;/m);
    const up = await project.cli(["upgrade", "head"]);
    expect(up.stderr).toBe("");
    expect(up.status).toBe(0);
    expect(await indexValid("IDX_thing_name")).toEqual([true]);
    expect(await versions()).toEqual(["r2"]);
    const down = await project.cli(["downgrade", "-1"]);
    expect(down.stderr).toBe("");
    expect(down.status).toBe(0);
    expect(await indexValid("IDX_thing_name")).toEqual([]);
    expect(await versions()).toEqual(["r1"]);
  });

  it("a failure outside a transaction names the statements that ran; the version row is not written", async () => {
    writeFileSync(
      project.dir.file("versions/r2_index.ts"),
      revisionFile(
        "r2",
        "r1",
        `op.createIndex("IDX_thing_name", "thing", ["name"], { concurrently: true });\n  op.execute("SELECT 1 / 0");`,
        `op.dropIndex("IDX_thing_name", "thing", ["name"], { concurrently: true });`,
        false,
      ),
    );
    const r = await project.cli(["upgrade", "head"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("nothing was rolled back");
    expect(r.stderr).toContain(`1 statement(s) ran and stay applied: CREATE INDEX CONCURRENTLY "IDX_thing_name"`);
    expect(r.stderr).toContain("division by zero");
    expect(await indexValid("IDX_thing_name")).toEqual([true]);
    expect(await versions()).toEqual(["r1"]);
    await project.query(`DROP INDEX "IDX_thing_name"`);
    writeFileSync(project.dir.file("versions/r2_index.ts"), revisionFile("r2", "r1", "", "", true));
    expect((await project.cli(["upgrade", "head"])).status).toBe(0);
  });

  it("an enum value added by autogenerate is ALTER TYPE … ADD VALUE: the table is not rewritten", async () => {
    const relfilenode = async () => (await project.query(`SELECT relfilenode FROM pg_class WHERE relname = 'thing'`))[0]!.relfilenode;
    const before = await relfilenode();
    project.entity("thing", THING(["happy", "meh", "sad"]));
    const gen = await project.cli(["revision", "--autogenerate", "-m", "meh", "--rev-id", "r3"]);
    expect(gen.status).toBe(0);
    const offline = await project.cli(["upgrade", "r2:r3", "--sql"]);
    expect(offline.stdout).toContain(`ALTER TYPE "thing_mood" ADD VALUE 'meh' BEFORE 'sad';`);
    const up = await project.cli(["upgrade", "head"]);
    expect(up.stderr).toBe("");
    expect(up.status).toBe(0);
    expect(await relfilenode()).toBe(before);
    await project.query(`INSERT INTO thing (name, mood) VALUES ('c', 'meh')`);
    expect((await project.query(`SELECT enum_range(NULL::thing_mood)::text AS r`))[0]!.r).toBe("{happy,meh,sad}");
    expect((await project.cli(["revision", "--autogenerate", "-m", "nothing"])).stdout).toContain("No changes in schema detected.");
  });
});
