/**
 * Concurrent `upgrade head` runs on MariaDB: MySQL DDL commits as it runs, so no
 * transaction keeps a second process out; the named lock (GET_LOCK, held by the migrating
 * connection for the whole run) does. 4 processes at once: all exit 0, every revision is
 * applied exactly once (its own row in `applied`, one version row, one upgrade row each in
 * the migration log).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDialect } from "../src/dialects/index.js";
import { assertBuilt, spawnCliAsync } from "./helpers/cli.js";
import { createMysqlDatabase, createTempDir, mysqlAvailable, type TempDir } from "./helpers/databases.js";

const MYSQL = await mysqlAvailable();
const REVISIONS = ["r1", "r2", "r3", "r4"];

/** Each revision logs itself in `applied`, so a revision run twice shows as two rows. */
function revisionFile(id: string, index: number): string {
  const create = index === 0 ? `op.execute("CREATE TABLE applied (rev varchar(10) NOT NULL)");\n  ` : "";
  return `import type { Operations } from "autogen";
export const revision = "${id}";
export const downRevision = ${index === 0 ? "null" : `"${REVISIONS[index - 1]}"`};
export const message = "step ${id}";
export function upgrade(op: Operations): void {
  ${create}op.createTable("t_${id}", { columns: [{ name: "id", type: "int", nullable: false }], primaryKey: { columns: ["id"] } });
  op.execute("INSERT INTO applied (rev) VALUES ('${id}')");
}
export function downgrade(op: Operations): void {
  op.dropTable("t_${id}");
}
`;
}

describe.skipIf(!MYSQL)("4 concurrent upgrade head on MariaDB", () => {
  let db: Awaited<ReturnType<typeof createMysqlDatabase>>;
  let dir: TempDir;
  beforeAll(async () => {
    assertBuilt();
    db = await createMysqlDatabase("autogen_race");
    dir = createTempDir("autogen-race-mysql-");
    mkdirSync(dir.file("models"));
    mkdirSync(dir.file("versions"));
    writeFileSync(dir.file("autogen.config.json"), JSON.stringify({ url: db.url, entities: ["models/*.ts"], versionsDir: "versions" }));
    REVISIONS.forEach((id, i) => writeFileSync(dir.file(`versions/${id}_step.ts`), revisionFile(id, i)));
  });
  afterAll(async () => {
    dir?.remove();
    await db?.drop();
  });

  const query = async <Row>(sql: string): Promise<Row[]> => {
    const conn = await getDialect("mysql").connect(db.url);
    try {
      return await conn.query<Row>(sql);
    } finally {
      await conn.close();
    }
  };

  it("all exit 0 and every revision is applied exactly once (applied rows, version table, migration log)", async () => {
    const runs = await Promise.all([1, 2, 3, 4].map(() => spawnCliAsync(["upgrade", "head"], { cwd: dir.dir })));
    for (const r of runs) {
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
    }
    expect((await query<{ rev: string }>("SELECT rev FROM applied ORDER BY rev")).map((r) => r.rev)).toEqual(REVISIONS);
    expect((await query<{ v: string }>("SELECT version_num AS v FROM autogen_version")).map((r) => r.v)).toEqual(["r4"]);
    const log = await query<{ revision: string; action: string }>("SELECT revision, action FROM autogen_version_log ORDER BY id");
    expect(log).toEqual(REVISIONS.map((revision) => ({ revision, action: "upgrade" })));
    // Between them, the runs printed each revision once: the lock kept the others waiting,
    // and each found the version table moved on when it got the lock.
    const lines = runs.flatMap((r) =>
      r.stdout
        .split("\n")
        .filter((l, i, all) => l.startsWith("Running upgrade") && !all[i + 1]?.startsWith("Another process applied revisions meanwhile")),
    );
    expect(lines.map((l) => /-> (r\d)/.exec(l)![1]).sort()).toEqual(REVISIONS);
  }, 240_000);
});
