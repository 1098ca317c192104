/**
 * Issue 7.4: commands that destroy data ask first. reset, refresh, downgrade base (on a
 * database with rows) and fresh, with stdin not a terminal and no --force: exit 1,
 * nothing dropped. fresh lists what it drops, drops only what a revision creates (a
 * table made by hand stays, with its rows), and its help says so.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DialectName } from "../src/schema/ir.js";
import { TEST_DIALECTS, availability } from "./helpers/databases.js";
import { createSafetyProject, type SafetyProject } from "./helpers/safety.js";

const AVAILABLE = await availability();

describe.each<DialectName>(TEST_DIALECTS)("destructive commands on %s", (dialect) => {
  let project: SafetyProject;
  const skip = !AVAILABLE[dialect];
  const count = async (table: string) => Number((await project.query(`SELECT count(*) AS n FROM ${table}`))[0]!.n);
  const versionRows = async () => (await project.query(`SELECT version_num FROM autogen_version`)).length;

  beforeAll(async () => {
    if (skip) return;
    project = await createSafetyProject(dialect);
    project.entity(
      "thing",
      `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";\n@Entity("thing")\nexport class Thing { @PrimaryGeneratedColumn() id!: number; @Column({ type: "varchar", length: 20 }) name!: string; }\n`,
    );
    expect((await project.cli(["revision", "--autogenerate", "-m", "thing", "--rev-id", "r1"])).status).toBe(0);
    expect((await project.cli(["upgrade", "head"])).status).toBe(0);
    await project.query(`INSERT INTO thing (name) VALUES ('kept')`);
    await project.query(`CREATE TABLE handmade (id integer)`);
    await project.query(`INSERT INTO handmade (id) VALUES (7)`);
  });
  afterAll(async () => project?.remove());

  it.skipIf(skip)("reset, refresh and downgrade base without --force: exit 1, nothing dropped", async () => {
    for (const args of [["reset"], ["refresh"], ["downgrade", "base"]]) {
      const r = await project.cli(args);
      expect(r.status, args.join(" ")).toBe(1);
      expect(r.stderr, args.join(" ")).toContain("--force");
      expect(r.stderr, args.join(" ")).toContain("thing");
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(await count("thing")).toBe(1);
      expect(await versionRows()).toBe(1);
    }
  });

  it.skipIf(skip)("fresh without --force: lists what it would drop, exit 1, nothing dropped", async () => {
    const r = await project.cli(["fresh"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/fresh will drop 2 object\(s\) in .*: thing, autogen_version \(version table\)/);
    expect(r.stdout).toContain("fresh leaves in place 1 table(s) no revision creates: handmade");
    expect(r.stderr).toContain("--force");
    expect(await count("thing")).toBe(1);
    expect(await count("handmade")).toBe(1);
    expect(await versionRows()).toBe(1);
  });

  it.skipIf(skip)("fresh --help says exactly what it drops and what it leaves", async () => {
    const help = (await project.cli(["fresh", "--help"])).stdout.replace(/\s+/g, " ");
    expect(help).toContain("drop every table and enum type that one of the revisions creates, and the version table");
    expect(help).toContain(
      "Tables no revision creates (made by hand, by raw SQL in a revision, or listed in excludeTables) are left in place",
    );
  });

  it.skipIf(skip)("fresh --force drops only what the revisions created; reset on empty tables needs no --force", async () => {
    const r = await project.cli(["fresh", "--force"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(await count("thing")).toBe(0);
    expect(await count("handmade")).toBe(1);
    expect(await versionRows()).toBe(1);
    const down = await project.cli(["reset"]);
    expect(down.stderr).toBe("");
    expect(down.status).toBe(0);
    expect(await versionRows()).toBe(0);
    expect(await count("handmade")).toBe(1);
  });
});
