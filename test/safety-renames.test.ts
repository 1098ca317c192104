/**
 * Issue 7.3: a suspected rename is never resolved by silence. With stdin not a terminal
 * and no answer, `revision --autogenerate` writes nothing and exits non-zero, naming the
 * candidate and the ways out; `--rename` makes one renameColumn that keeps the rows;
 * `--drop` (or an answers file) makes the drop + add.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDialect } from "../src/dialects/index.js";
import type { DialectName } from "../src/schema/ir.js";
import { TEST_DIALECTS, availability } from "./helpers/databases.js";
import { createSafetyProject, type SafetyProject } from "./helpers/safety.js";

const AVAILABLE = await availability();

const person = (column: string) => `
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
@Entity("people")
export class Person {
  @PrimaryGeneratedColumn()
  id!: number;
  @Column({ type: "varchar", length: 120 })
  ${column}!: string;
}
`;

describe.each<DialectName>(TEST_DIALECTS)("renames without a terminal on %s", (dialect) => {
  let project: SafetyProject;
  const skip = !AVAILABLE[dialect];
  const newFiles = () => project.versionFiles().filter((f) => !f.startsWith("r1_"));
  const fileText = () => readFileSync(project.dir.file(`versions/${newFiles()[0]}`), "utf8");
  const removeNew = () => newFiles().forEach((f) => rmSync(project.dir.file(`versions/${f}`)));

  beforeAll(async () => {
    if (skip) return;
    project = await createSafetyProject(dialect);
    project.entity("person", person("name"));
    expect((await project.cli(["revision", "--autogenerate", "-m", "people", "--rev-id", "r1"])).status).toBe(0);
    expect((await project.cli(["upgrade", "head"])).status).toBe(0);
    await project.query(`INSERT INTO people (name) VALUES ('Ada'), ('Grace')`);
    project.entity("person", person("fullName"));
  });
  afterAll(async () => project?.remove());

  it.skipIf(skip)("no answer: exit 1, no file, the candidate and the ways out on one line", async () => {
    const r = await project.cli(["revision", "--autogenerate", "-m", "rename"]);
    expect(r.status).toBe(1);
    expect(newFiles()).toEqual([]);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("column people.name -> people.fullName");
    expect(lines[0]).toContain("--rename people.name=fullName");
    expect(lines[0]).toContain("--drop people.name");
    expect(lines[0]).toContain("--answers");
    // --no-prompt on a terminal is the same: nobody is asked.
    expect((await project.cli(["revision", "--autogenerate", "-m", "rename", "--no-prompt"])).status).toBe(1);
    expect(newFiles()).toEqual([]);
  });

  it.skipIf(skip)("answered 'drop' (flag or answers file): drop + add", async () => {
    expect((await project.cli(["revision", "--autogenerate", "-m", "rename", "--drop", "people.name"])).status).toBe(0);
    expect(fileText()).toContain(`op.dropColumn("people", "name"`);
    expect(fileText()).toContain(`op.addColumn("people"`);
    expect(fileText()).not.toContain("op.renameColumn");
    removeNew();
    writeFileSync(project.dir.file("answers.json"), JSON.stringify({ drops: ["people.name"] }));
    expect((await project.cli(["revision", "--autogenerate", "-m", "rename", "--answers", "answers.json"])).status).toBe(0);
    expect(fileText()).toContain(`op.dropColumn("people", "name"`);
    removeNew();
  });

  it.skipIf(skip)("answered 'rename' (answers file): one renameColumn", async () => {
    writeFileSync(project.dir.file("answers.json"), JSON.stringify({ renames: { "people.name": "fullName" } }));
    expect((await project.cli(["revision", "--autogenerate", "-m", "rename", "--answers", "answers.json"])).status).toBe(0);
    expect(fileText()).toContain(`op.renameColumn("people", "name", "fullName")`);
    removeNew();
  });

  it.skipIf(skip)("--rename: one renameColumn, and the rows keep their data", async () => {
    const r = await project.cli(["revision", "--autogenerate", "-m", "rename", "--rename", "people.name=fullName"]);
    expect(r.status).toBe(0);
    const upgradeBody = fileText().split("export function downgrade")[0]!;
    expect(upgradeBody.match(/op\.\w+\(/g)).toEqual(["op.renameColumn("]);
    expect((await project.cli(["upgrade", "head"])).status).toBe(0);
    const rows = await project.query(`SELECT ${getDialect(dialect).quoteIdent("fullName")} FROM people ORDER BY id`);
    expect(rows).toEqual([{ fullName: "Ada" }, { fullName: "Grace" }]);
  });
});
