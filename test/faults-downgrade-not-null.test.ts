/**
 * Issue 15.10: the upgrade drops a NOT NULL column without a default from a table with
 * rows; its generated downgrade must run on that table. It re-adds the column nullable
 * (the values are gone: "data not restored"), says so at the op with the NOT NULL step
 * to run once they are back, and does not claim NOT NULL. Caused for real on every
 * database: rows in the table, upgrade (drop) -> downgrade -> upgrade. The lint's
 * not-null rule applies to a downgrade as it does to an upgrade.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DialectName } from "../src/schema/ir.js";
import { lintOps } from "../src/lint/rules.js";
import { emptySchema } from "../src/schema/ir.js";
import { availability, TEST_DIALECTS } from "./helpers/databases.js";
import { createSafetyProject, type SafetyProject } from "./helpers/safety.js";
import { postgresLint } from "../src/dialects/postgres/lint.js";

const AVAILABLE = await availability();

const entity = (withBody: boolean) => `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
@Entity("posts")
export class Post {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: "varchar", length: 40 }) title!: string;
${withBody ? `  @Column({ type: "varchar", length: 200 }) body!: string;\n` : ""}}
`;

describe.each<DialectName>(TEST_DIALECTS)("downgrade of a dropped NOT NULL column on %s", (dialect) => {
  let project: SafetyProject;
  const skip = !AVAILABLE[dialect];
  beforeAll(async () => {
    if (skip) return;
    project = await createSafetyProject(dialect);
    project.entity("post", entity(true));
    expect((await project.cli(["revision", "--autogenerate", "-m", "posts", "--rev-id", "r1"])).status).toBe(0);
    expect((await project.cli(["upgrade", "head"])).status).toBe(0);
    await project.query("INSERT INTO posts (title, body) VALUES ('a', 'first'), ('b', 'second')");
  });
  afterAll(async () => project?.remove());

  it.skipIf(skip)("runs on a table with rows: the column comes back nullable, said so in the file; upgrade again works", async () => {
    project.entity("post", entity(false));
    const gen = await project.cli(["revision", "--autogenerate", "-m", "drop body", "--rev-id", "r2"]);
    expect(gen.status).toBe(0);
    const file = project.dir.file("versions/r2_drop_body.ts");
    const text = readFileSync(file, "utf8");
    const downgrade = text.slice(text.indexOf("export function downgrade"));
    expect(downgrade).toMatch(/op\.addColumn\("posts", \{[^}]*name: "body"[^}]*nullable: true/);
    expect(downgrade).toContain("lint data-not-restored");
    expect(downgrade).toContain("posts.body was NOT NULL without a default: it is re-added nullable");
    expect(downgrade).toContain(`op.alterColumn("posts", "body", { nullable: { from: true, to: false } });`);

    expect((await project.cli(["upgrade", "head"])).status).toBe(0);
    const down = await project.cli(["downgrade", "-1"]);
    expect(down.stderr).toBe("");
    expect(down.status).toBe(0);
    const rows = await project.query("SELECT title, body FROM posts ORDER BY title");
    expect(rows.map((r) => [r.title, r.body])).toEqual([
      ["a", null],
      ["b", null],
    ]);
    expect((await project.query("SELECT version_num FROM autogen_version")).map((r) => r.version_num)).toEqual(["r1"]);
    const log = await project.query("SELECT revision, action FROM autogen_version_log ORDER BY id");
    // (MySQL also logs "partial" rows while a revision's statements commit one by one.)
    const steps = log.filter((r) => r.action === "upgrade" || r.action === "downgrade");
    expect(steps.map((r) => `${String(r.action)} ${String(r.revision)}`)).toEqual(["upgrade r1", "upgrade r2", "downgrade r2"]);
    // A re-run of the upgrade finishes and the models match again.
    expect((await project.cli(["upgrade", "head"])).status).toBe(0);
    expect((await project.cli(["check"])).status).toBe(0);
    // count(*) comes back as a string from some drivers (PostgreSQL's bigint), a number from others.
    expect(Number((await project.query("SELECT count(*) AS n FROM posts"))[0]!.n)).toBe(2);
  });
});

describe("the lint's not-null rule on a downgrade", () => {
  it("flags a downgrade re-adding a NOT NULL column without a default, besides data-not-restored", () => {
    const before = emptySchema("postgres");
    before.tables.push({
      name: "posts",
      columns: [{ name: "id", type: "integer", nullable: false }],
      foreignKeys: [],
      uniques: [],
      indexes: [],
      checks: [],
    });
    const column = { name: "body", type: "text", nullable: false };
    const findings = lintOps([{ kind: "addColumn", table: "posts", column }], {
      before,
      direction: "downgrade",
      database: postgresLint,
      upgradeOps: [{ kind: "dropColumn", table: "posts", column }],
    });
    expect(findings.map((f) => f.rule).sort()).toEqual(["data-not-restored", "not-null-without-default"]);
  });
});
