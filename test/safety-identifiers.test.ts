/**
 * Issue 7.9: a name over the database's identifier limit (PostgreSQL's 63 bytes; a long
 * table name makes its enum type's name longer still) is an error at autogenerate, naming
 * the entity and the property; nothing is written. On every database that declares a
 * limit (capabilities.maxIdentifierBytes).
 */
import { afterEach, describe, expect, it } from "vitest";
import { getDialect } from "../src/dialects/index.js";
import { DATABASE_KINDS } from "./helpers/databases.js";
import { createSafetyProject, type SafetyProject } from "./helpers/safety.js";

for (const kind of DATABASE_KINDS.filter((k) => getDialect(k.dialect).capabilities.maxIdentifierBytes !== undefined)) {
  const dialect = getDialect(kind.dialect);
  const max = dialect.capabilities.maxIdentifierBytes!;
  describe.skipIf(!(await kind.available()))(`identifier length on ${dialect.title}`, () => {
    let project: SafetyProject;
    afterEach(async () => project?.remove());

    // A table name within the limit whose enum type name ("<table>_status_enum") is 5 bytes over it.
    const longTable = "adjustment_entries".padEnd(max - 7, "_x");

    it.runIf(dialect.capabilities.enumTypes)(`an enum type name over ${max} bytes names the entity and the property`, async () => {
      project = await createSafetyProject(kind.dialect);
      project.entity(
        "entry",
        `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
@Entity("${longTable}")
export class AdjustmentEntry {
  @PrimaryGeneratedColumn()
  id!: number;
  @Column({ type: "enum", enum: ["open", "closed"] })
  status!: string;
}
`,
      );
      const r = await project.cli(["revision", "--autogenerate", "-m", "entries"]);
      expect(r.status).toBe(1);
      const line = r.stderr.trim();
      expect(line.split("\n")).toHaveLength(1);
      expect(line).toContain("entity AdjustmentEntry, property status");
      expect(line).toContain(`enum type name "${longTable}_status_enum" is ${max + 5} bytes; ${dialect.title} keeps ${max}`);
      expect(project.versionFiles()).toEqual([]);
    });

    it(`a column name over ${max} bytes (multi-byte characters count as bytes) names the property`, async () => {
      project = await createSafetyProject(kind.dialect);
      const column = "é".repeat(Math.floor(max / 2) + 1); // two bytes a character: just over the limit
      const bytes = Buffer.byteLength(column);
      project.entity(
        "entry",
        `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
@Entity("entry")
export class Entry {
  @PrimaryGeneratedColumn()
  id!: number;
  @Column({ name: "${column}", type: "integer" })
  amount!: number;
}
`,
      );
      const r = await project.cli(["revision", "--autogenerate", "-m", "entries"]);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`entity Entry, property amount: column name "${column}" is ${bytes} bytes`);
      expect(project.versionFiles()).toEqual([]);
    });
  });
}
