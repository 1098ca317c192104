/**
 * Two `upgrade` runs at the same time must not apply the same revision twice: the
 * second waits (advisory lock / BEGIN IMMEDIATE / named lock), sees the rows moved, plans
 * again and finds the database at head; on every registered database.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as api from "../src/api/index.js";
import { Workspace } from "../src/api/index.js";
import type { DialectName } from "../src/schema/ir.js";
import { getDialect } from "../src/dialects/index.js";
import { DATABASE_KINDS } from "./helpers/databases.js";
import { createProject, type TestProject } from "./helpers/project.js";

const TABLE = `export const revision = "table1";
export const downRevision = null;
const def = { columns: [{ name: "id", type: "integer", nullable: false }], primaryKey: { name: "PK_events", columns: ["id"] } };
export function upgrade(op: any): void { op.createTable("events", def); }
export function downgrade(op: any): void { op.dropTable("events", def); }
`;

/** Data only: nothing in the schema would stop a second run from inserting again. */
function slowDataRevision(dialect: DialectName): string {
  // A slow data migration keeps the first run's transaction open while the second starts.
  const wait = getDialect(dialect).testing.pause?.(0.5);
  const pause = wait ? `op.execute(${JSON.stringify(wait)});` : "";
  return `export const revision = "slow1";
export const downRevision = "table1";
export async function upgrade(op: any): Promise<void> {
  op.execute("INSERT INTO events (id) SELECT count(*) + 1 FROM events");
  ${pause}
  await op.query("SELECT count(*) AS n FROM events");
}
export function downgrade(op: any): void {
  op.execute("DELETE FROM events");
}
`;
}

for (const kind of DATABASE_KINDS) {
  const { dialect } = kind;
  describe.skipIf(!(await kind.available()))(`concurrent upgrades on ${dialect}`, () => {
    let project: TestProject;
    let drop: () => Promise<void>;
    beforeAll(async () => {
      const db = await kind.create("autogen_concurrent");
      const url = db.url;
      drop = () => db.cleanup();
      project = createProject({ url });
      mkdirSync(project.dir.file("versions"));
      writeFileSync(project.dir.file("versions/table1.ts"), TABLE);
      writeFileSync(project.dir.file("versions/slow1.ts"), slowDataRevision(dialect));
      await api.upgrade({ config: project.config, target: "table1" });
    });
    afterAll(async () => {
      project?.remove();
      await drop?.();
    });

    it("applies the revision exactly once; the other run waits, then finds nothing left to do", async () => {
      const results = await Promise.all([api.upgrade({ config: project.config }), api.upgrade({ config: project.config })]);
      // Between them the runs applied slow1 once (issue 7: the loser waits and succeeds).
      expect(results.flatMap((r) => r.steps).filter((l) => l.includes("slow1"))).toHaveLength(1);
      const ws = new Workspace({ config: project.config });
      const rows = await ws.withConnection((c) => c.query("SELECT count(*) AS n FROM events"));
      expect(Number(rows[0]!.n)).toBe(1);
      expect(await ws.withConnection((c) => ws.readHeads(c))).toEqual(["slow1"]);
    });
  });
}
