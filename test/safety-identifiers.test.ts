/**
 * Issue 7.9: a name over PostgreSQL's 63 bytes (a long table name makes its enum type's
 * name longer still) is an error at autogenerate, naming the entity and the property;
 * nothing is written.
 */
import { afterEach, describe, expect, it } from "vitest";
import { pgAvailable } from "./helpers/databases.js";
import { createSafetyProject, type SafetyProject } from "./helpers/safety.js";

const PG = await pgAvailable();
const LONG_TABLE = "customer_subscription_billing_adjustment_history_entries"; // 56 bytes

describe.skipIf(!PG)("identifier length on PostgreSQL", () => {
  let project: SafetyProject;
  afterEach(async () => project?.remove());

  it("an enum type name over 63 bytes names the entity and the property", async () => {
    project = await createSafetyProject("postgres");
    project.entity(
      "entry",
      `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
@Entity("${LONG_TABLE}")
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
    expect(line).toContain(`enum type name "${LONG_TABLE}_status_enum" is 68 bytes; PostgreSQL keeps 63`);
    expect(project.versionFiles()).toEqual([]);
  });

  it("a column name over 63 bytes (multi-byte characters count as bytes) names the property", async () => {
    project = await createSafetyProject("postgres");
    const column = "é".repeat(32); // 32 characters, 64 bytes
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
    expect(r.stderr).toContain(`entity Entry, property amount: column name "${column}" is 64 bytes`);
    expect(project.versionFiles()).toEqual([]);
  });
});
