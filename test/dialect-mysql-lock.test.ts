import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type MysqlConnection } from "../src/dialects/mysql/connection.js";
import { versionTable } from "../src/dialects/mysql/version-table.js";
import { UserError } from "../src/errors.js";
import { takeVersionLock } from "../src/runtime/version-lock.js";
import { createMysqlDatabase, mysqlAvailable } from "./helpers/databases.js";

describe("GET_LOCK result parsing", () => {
  it("counts only 1 as taken: 0 is a timeout, NULL an error", () => {
    const taken = versionTable.lockTaken!;
    expect(taken([{ locked: 1 }])).toBe(true);
    expect(taken([{ locked: "1" }])).toBe(true);
    expect(taken([{ locked: 1n }])).toBe(true);
    expect(taken([{ locked: 0 }])).toBe(false);
    expect(taken([{ locked: null }])).toBe(false);
    expect(taken([])).toBe(false);
  });

  it("stops with one line when the database says the lock was not taken", async () => {
    const conn = { query: async () => [{ locked: null }] } as never;
    const run = takeVersionLock(conn, versionTable, "autogen_version", ["SELECT GET_LOCK('x', 1) AS locked"]);
    await expect(run).rejects.toThrow(UserError);
    await expect(run).rejects.toThrow(
      /^could not take the migration lock on version table autogen_version \(the database answered NULL\)[^\n]*$/,
    );
  });
});

describe.skipIf(!(await mysqlAvailable()))("GET_LOCK held by another connection", () => {
  let db: Awaited<ReturnType<typeof createMysqlDatabase>>;
  let holder: MysqlConnection;
  let other: MysqlConnection;
  beforeAll(async () => {
    db = await createMysqlDatabase("autogen_lock");
    holder = await connect(db.url);
    other = await connect(db.url);
  });
  afterAll(async () => {
    await holder?.close();
    await other?.close();
    await db?.drop();
  });

  it("refuses to go on when the lock is busy (the same statement without the year-long wait)", async () => {
    const [acquire] = versionTable.runLock!("autogen_version").acquire;
    await takeVersionLock(holder, versionTable, "autogen_version", [acquire!]);
    // The same lock name, asked with no wait: the server answers 0 (busy), as after a timeout.
    const noWait = acquire!.replace(/, \d+\) AS locked$/, ", 0) AS locked");
    expect(noWait).not.toBe(acquire);
    await expect(takeVersionLock(other, versionTable, "autogen_version", [noWait])).rejects.toThrow(
      /could not take the migration lock.*answered 0/,
    );
    // The holder itself may take it again (it nests), so the per-revision lock passes.
    await expect(takeVersionLock(holder, versionTable, "autogen_version", versionTable.lock("autogen_version"))).resolves.toBeUndefined();
  });
});
