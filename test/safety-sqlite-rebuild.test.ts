/**
 * Issue 7.5: a SQLite table rebuild keeps the table's triggers (created again after the
 * copy) and its CASCADE children; a column made NOT NULL over rows holding NULL fails on
 * every database, even with a default, and leaves the rows and the version table as they
 * were (rolled back where DDL is transactional), unless the revision fills the NULLs in a
 * visible data step first.
 */
import { rmSync, writeFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { getDialect } from "../src/dialects/index.js";
import type { DialectName } from "../src/schema/ir.js";
import { availability, TEST_DIALECTS } from "./helpers/databases.js";
import { createSafetyProject, type SafetyProject } from "./helpers/safety.js";

const AVAILABLE = await availability();

const revision = (id: string, down: string | null, upgrade: string, downgrade = "") => `import type { Operations } from "autogen";
export const revision = "${id}";
export const downRevision = ${down === null ? "null" : JSON.stringify(down)};
export const message = "${id}";
export function upgrade(op: Operations): void {
${upgrade}
}
export function downgrade(op: Operations): void {
${downgrade}
}
`;

const TABLES = `
  op.createTable("parent", { columns: [
    { name: "id", type: "integer", nullable: false },
    { name: "name", type: "varchar", length: 50, nullable: true },
  ], primaryKey: { columns: ["id"] } });
  op.createTable("child", { columns: [
    { name: "id", type: "integer", nullable: false },
    { name: "parentId", type: "integer", nullable: false },
  ], primaryKey: { columns: ["id"] }, foreignKeys: [
    { name: "FK_child_parent", columns: ["parentId"], referencedTable: "parent", referencedColumns: ["id"], onDelete: "CASCADE", onUpdate: "NO ACTION" },
  ] });
  op.createTable("audit", { columns: [{ name: "what", type: "varchar", length: 100, nullable: false }] });`;

let project: SafetyProject;
afterEach(async () => project?.remove());

// SQLite's own table rebuild (its triggers, sqlite_master): scoped to SQLite by design.
describe("SQLite rebuild", () => {
  it("keeps the table's trigger (it still fires) and its CASCADE children", async () => {
    project = await createSafetyProject("sqlite");
    writeFileSync(
      project.dir.file("versions/r1_tables.ts"),
      revision(
        "r1",
        null,
        `${TABLES}
  op.execute(\`CREATE TRIGGER "parent_audit" AFTER INSERT ON "parent" BEGIN INSERT INTO "audit" ("what") VALUES ('inserted ' || NEW."id"); END\`);`,
      ),
    );
    expect((await project.cli(["upgrade", "head"])).status).toBe(0);
    await project.query(
      `INSERT INTO parent (id, name) VALUES (1, 'a'), (2, 'b'); INSERT INTO child (id, "parentId") VALUES (10, 1), (20, 2)`,
    );
    writeFileSync(
      project.dir.file("versions/r2_widen.ts"),
      revision(
        "r2",
        "r1",
        `  op.alterColumn("parent", "name", { type: { from: { type: "varchar", length: 50 }, to: { type: "varchar", length: 200 } } });`,
      ),
    );
    const offline = await project.cli(["upgrade", "r1:r2", "--sql"]);
    expect(offline.stdout).toContain(`DROP TABLE "parent"`);
    const up = await project.cli(["upgrade", "head"]);
    expect(up.stderr).toBe("");
    expect(up.status).toBe(0);

    const ddl = await project.query(`SELECT sql FROM sqlite_master WHERE name = 'parent'`);
    expect(String(ddl[0]!.sql)).toContain("varchar(200)");
    expect(await project.query(`SELECT id FROM child ORDER BY id`)).toEqual([{ id: 10 }, { id: 20 }]);
    await project.query(`INSERT INTO parent (id, name) VALUES (3, 'c')`);
    expect(await project.query(`SELECT what FROM audit ORDER BY what`)).toEqual([
      { what: "inserted 1" },
      { what: "inserted 2" },
      { what: "inserted 3" },
    ]);
    // The children's foreign key still points at the rebuilt table: CASCADE still works.
    await project.query(`DELETE FROM parent WHERE id = 1`);
    expect(await project.query(`SELECT id FROM child ORDER BY id`)).toEqual([{ id: 20 }]);
  });
});

describe.each<DialectName>(TEST_DIALECTS)("NOT NULL over NULLs on %s", (dialect) => {
  const skip = !AVAILABLE[dialect];
  const { transactionalDDL } = getDialect(dialect).capabilities;
  const notNull = `  op.alterColumn("parent", "name", { nullable: { from: true, to: false }, default: { from: null, to: "'unknown'" } });`;

  it.skipIf(skip)("fails and changes nothing, even with a default; passes with a visible data step", async () => {
    project = await createSafetyProject(dialect);
    writeFileSync(project.dir.file("versions/r1_tables.ts"), revision("r1", null, TABLES));
    expect((await project.cli(["upgrade", "head"])).status).toBe(0);
    await project.query(`INSERT INTO parent (id, name) VALUES (1, NULL)`);
    await project.query(`INSERT INTO parent (id, name) VALUES (2, 'set')`);

    writeFileSync(project.dir.file("versions/r2_not_null.ts"), revision("r2", "r1", notNull));
    const blocked = await project.cli(["upgrade", "head"]);
    expect(blocked.status).toBe(1);
    // Without transactional DDL the one failing statement is the revision's first: nothing of it ran.
    expect(blocked.stderr).toContain(transactionalDDL ? "rolled back" : "no statement of it had taken effect");
    expect(blocked.stderr.toLowerCase()).toMatch(/not null|null value/);
    expect(await project.query(`SELECT id, name FROM parent ORDER BY id`)).toEqual([
      { id: 1, name: null },
      { id: 2, name: "set" },
    ]);
    expect((await project.query(`SELECT version_num FROM autogen_version`)).map((r) => r.version_num)).toEqual(["r1"]);

    rmSync(project.dir.file("versions/r2_not_null.ts"));
    writeFileSync(
      project.dir.file("versions/r2_not_null.ts"),
      revision("r2", "r1", `  op.execute("UPDATE parent SET name = 'filled' WHERE name IS NULL");\n${notNull}`),
    );
    const up = await project.cli(["upgrade", "head"]);
    expect(up.stderr).toBe("");
    expect(up.status).toBe(0);
    expect(await project.query(`SELECT id, name FROM parent ORDER BY id`)).toEqual([
      { id: 1, name: "filled" },
      { id: 2, name: "set" },
    ]);
  });
});
