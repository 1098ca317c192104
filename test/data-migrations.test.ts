/**
 * Hand-written revisions with data migrations: `op.execute` runs in order with schema
 * ops, `op.query` reads rows mid-revision (ops recorded before it run first), and both
 * are part of the revision's transaction. Offline, `op.query` is refused clearly.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as api from "../src/api/index.js";
import { Workspace } from "../src/api/index.js";
import { UserError } from "../src/errors.js";
import { DATABASE_KINDS } from "./helpers/databases.js";
import { createProject, type TestProject } from "./helpers/project.js";

const SCHEMA = `export const revision = "d1";
export const downRevision = null;
export function upgrade(op: any): void {
  op.createTable("accounts", {
    columns: [
      { name: "id", type: "integer", nullable: false },
      { name: "email", type: "varchar", length: 100, nullable: false },
      { name: "domain", type: "varchar", length: 100, nullable: true },
    ],
    primaryKey: { name: "PK_accounts", columns: ["id"] },
  });
  op.execute("INSERT INTO accounts (id, email) VALUES (1, 'ada@example.org'), (2, 'alan@example.com')", {
    reverse: "DELETE FROM accounts",
  });
}
export function downgrade(op: any): void {
  op.execute("DELETE FROM accounts");
  op.dropTable("accounts", { columns: [
    { name: "id", type: "integer", nullable: false },
    { name: "email", type: "varchar", length: 100, nullable: false },
    { name: "domain", type: "varchar", length: 100, nullable: true },
  ], primaryKey: { name: "PK_accounts", columns: ["id"] } });
}
`;

const BACKFILL = `export const revision = "d2";
export const downRevision = "d1";
export async function upgrade(op: any): Promise<void> {
  const rows = await op.query("SELECT id, email FROM accounts ORDER BY id");
  for (const row of rows) {
    const domain = String(row.email).split("@")[1];
    op.execute("UPDATE accounts SET domain = '" + domain + "' WHERE id = " + Number(row.id));
  }
  const counted = await op.query("SELECT count(*) AS n FROM accounts WHERE domain IS NOT NULL");
  if (Number(counted[0].n) !== rows.length) throw new Error("backfill incomplete");
}
export function downgrade(op: any): void {
  op.execute("UPDATE accounts SET domain = NULL");
}
`;

for (const kind of DATABASE_KINDS) {
  const { dialect } = kind;
  describe.skipIf(!(await kind.available()))(`data migrations on ${dialect}`, () => {
    let project: TestProject;
    let drop: () => Promise<void>;

    beforeAll(async () => {
      const db = await kind.create("autogen_data");
      const url = db.url;
      drop = () => db.cleanup();
      project = createProject({ url });
      mkdirSync(project.dir.file("versions"));
      writeFileSync(project.dir.file("versions/d1_schema.ts"), SCHEMA);
      writeFileSync(project.dir.file("versions/d2_backfill.ts"), BACKFILL);
    });
    afterAll(async () => {
      project?.remove();
      await drop?.();
    });

    const accounts = async () => {
      const ws = new Workspace({ config: project.config });
      return ws.withConnection((c) => c.query("SELECT id, email, domain FROM accounts ORDER BY id"));
    };

    it("runs execute and query in order inside the revision", async () => {
      await api.upgrade({ config: project.config });
      expect((await accounts()).map((r) => ({ ...r, id: Number(r.id) }))).toEqual([
        { id: 1, email: "ada@example.org", domain: "example.org" },
        { id: 2, email: "alan@example.com", domain: "example.com" },
      ]);
      await api.downgrade({ config: project.config, target: "-1" });
      expect((await accounts()).map((r) => r.domain)).toEqual([null, null]);
    });

    it("refuses op.query offline, naming the revision file", async () => {
      let message = "";
      try {
        await api.upgrade({ config: project.config, target: "head", sql: true });
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        message = err.message;
      }
      expect(message).toMatch(/d2_backfill\.ts/);
      // The offline script stops before it (test/ci-sql.test.ts checks the part printed before).
      expect(message).toMatch(/calls op\.query\("SELECT .*"\), which needs a live database, so the offline script stops before d2/);
    });

    it("renders execute in offline mode", async () => {
      const { sql } = await api.upgrade({ config: project.config, target: "base:d1", sql: true });
      expect(sql).toContain("INSERT INTO accounts (id, email) VALUES (1, 'ada@example.org'), (2, 'alan@example.com');");
    });
  });
}
