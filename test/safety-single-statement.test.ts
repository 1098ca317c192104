/**
 * No connection autogen opens runs several statements per call. PostgreSQL's queries go
 * through the extended protocol, where the server refuses a text of two statements;
 * MariaDB/MySQL connect with multipleStatements off, where the second statement is a
 * syntax error; SQLite's connection refuses such a text before sending it. Either way
 * nothing of the text runs. Raw SQL of several statements in a
 * revision (`op.execute`) is cut into its statements first, so it still runs whole.
 */
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbConnection } from "../src/dialects/dialect.js";
import { getDialect } from "../src/dialects/index.js";
import { createTestDatabase, databaseAvailable, TEST_DIALECTS, type TestDatabase } from "./helpers/databases.js";
import { createSafetyProject, type SafetyProject } from "./helpers/safety.js";

/** What each database says when handed two statements in one call (the server, or SQLite's connection). */
const REFUSAL =
  /cannot insert multiple commands into a prepared statement|You have an error in your SQL syntax|refused a text of several statements/;

const revision = (body: string) => `import type { Operations } from "autogen";
export const revision = "r1";
export const downRevision = null;
export const message = "notes";
export function upgrade(op: Operations): void {
  ${body}
}
export function downgrade(op: Operations): void {
  op.execute("DROP TABLE notes");
}
`;

for (const name of TEST_DIALECTS) {
  const available = await databaseAvailable(name);

  describe.skipIf(!available)(`one statement per call on ${name}`, () => {
    let db: TestDatabase;
    let conn: DbConnection;
    const count = async () => Number((await conn.query<{ n: unknown }>(`SELECT count(*) AS n FROM notes`))[0]!.n);

    beforeAll(async () => {
      db = await createTestDatabase(name, "autogen_single");
      conn = await getDialect(name).connect(db.url);
      await conn.query(`CREATE TABLE notes (n integer)`);
    });
    afterAll(async () => {
      await conn?.close();
      await db?.drop();
    });

    it("refuses a text of two statements, and neither runs", async () => {
      const err = await conn.query(`INSERT INTO notes VALUES (1); INSERT INTO notes VALUES (2)`).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(REFUSAL);
      expect(await count()).toBe(0);
      // The injection shape: a literal closed early and a statement after it.
      const injected = await conn.query(`SELECT 'a'; DROP TABLE notes`).catch((e: unknown) => e);
      expect((injected as Error).message).toMatch(REFUSAL);
      expect(await count()).toBe(0);
    });

    it("runs one statement, with a trailing semicolon or a semicolon inside a literal", async () => {
      await conn.query(`INSERT INTO notes VALUES (7);`);
      expect(await conn.query(`SELECT ';' AS s`)).toEqual([{ s: ";" }]);
      expect(await count()).toBe(1);
      await conn.query(`DELETE FROM notes`);
    });

    it.runIf(name === "postgres")("still runs what the extended protocol must carry on PostgreSQL", async () => {
      // A DO block and a function: one statement each, semicolons inside dollar quotes.
      await conn.query(`DO $$ BEGIN INSERT INTO notes VALUES (1); INSERT INTO notes VALUES (2); END $$`);
      await conn.query(
        `CREATE FUNCTION notes_total() RETURNS bigint LANGUAGE plpgsql AS $body$ BEGIN RETURN (SELECT sum(n) FROM notes); END $body$`,
      );
      expect(await conn.query(`SELECT notes_total()::int AS t`)).toEqual([{ t: 3 }]);
      // Statements that cannot run in a transaction block run alone.
      await conn.query(`CREATE INDEX CONCURRENTLY notes_n ON notes (n)`);
      await conn.query(`DROP INDEX CONCURRENTLY notes_n`);
      await conn.query(`VACUUM notes`);
      await conn.query(`SET lock_timeout = '2s'`);
      expect(await conn.query(`SHOW lock_timeout`)).toEqual([{ lock_timeout: "2s" }]);
      await conn.query(`BEGIN`);
      await conn.query(`LOCK TABLE notes IN ACCESS EXCLUSIVE MODE`);
      await conn.query(`COMMIT`);
      await conn.query(`DELETE FROM notes`);
    });
  });

  describe.skipIf(!available)(`op.execute of several statements on ${name}`, () => {
    let project: SafetyProject;
    beforeAll(async () => {
      project = await createSafetyProject(name);
    });
    afterAll(async () => {
      await project?.remove();
    });

    it("applies every statement of one op.execute", async () => {
      writeFileSync(
        project.dir.file("versions/r1_notes.ts"),
        revision(
          `op.execute("CREATE TABLE notes (n integer)");\n  op.execute("INSERT INTO notes VALUES (1); INSERT INTO notes VALUES (2);\\n-- done; really\\nINSERT INTO notes VALUES (3)");`,
        ),
      );
      const run = await project.cli(["upgrade", "head"]);
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      const rows = await project.query(`SELECT n FROM notes ORDER BY n`);
      expect(rows.map((r) => Number(r.n))).toEqual([1, 2, 3]);
    });
  });
}
