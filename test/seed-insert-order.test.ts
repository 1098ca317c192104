/**
 * The SQLite seed writer hands back RETURNING rows in the order their VALUES were written
 * even when the database returns them in another order (SQLite does not promise one):
 * a better-sqlite3 database whose RETURNING rows come back shuffled, and the matching
 * function on shuffled rows directly.
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { inRowidOrder, seedInsert } from "../src/dialects/sqlite/seed-insert.js";

/** The part of better-sqlite3 this test uses (the package ships no types). */
interface RawStatement {
  raw(on: boolean): RawStatement;
  all(params?: unknown[]): unknown[];
  run(params?: unknown[]): unknown;
}
interface RawDatabase {
  prepare(sql: string): RawStatement;
  exec(sql: string): void;
  close(): void;
}
const Database = createRequire(import.meta.url)("better-sqlite3") as new (file: string) => RawDatabase;

/** A deterministic shuffle (reversed, then halves interleaved): never the identity for more than 2 rows. */
function shuffled<T>(rows: readonly T[]): T[] {
  const reversed = [...rows].reverse();
  const half = Math.ceil(reversed.length / 2);
  return reversed.flatMap((_, i) => (i % 2 === 0 ? [reversed[i / 2]!] : [reversed[half + (i - 1) / 2]!])).filter((r) => r !== undefined);
}

/** A better-sqlite3 Database whose statements return their rows shuffled. */
function shufflingDatabase(db: RawDatabase): unknown {
  return {
    prepare(sql: string) {
      const statement = db.prepare(sql);
      const wrapped = {
        raw(on: boolean) {
          statement.raw(on);
          return wrapped;
        },
        all: (params: unknown[]) => (/^INSERT/i.test(sql) ? shuffled(statement.all(params) as unknown[][]) : statement.all(params)),
        run: (params: unknown[]) => statement.run(params),
      };
      return wrapped;
    },
  };
}

class BetterSqlite3Driver {}

describe("SQLite seed writer: rows read back in the order written", () => {
  it("inRowidOrder sorts shuffled rows by their last value (the rowid) and drops it; a gap in the rowids is an error", () => {
    const written = Array.from({ length: 7 }, (_, i) => [`row${i}`, 100 + i]);
    const back = shuffled(written);
    expect(back).not.toEqual(written);
    expect(inRowidOrder(back, "t")).toEqual(written.map(([name]) => [name]));
    expect(
      inRowidOrder(
        [
          [2n, "b", 11n],
          [1n, "a", 10n],
        ],
        "t",
      ),
    ).toEqual([
      [1n, "a"],
      [2n, "b"],
    ]);
    expect(() =>
      inRowidOrder(
        [
          ["a", 1],
          ["b", 3],
        ],
        "posts",
      ),
    ).toThrow(/^posts: the inserted rows did not get consecutive rowids/);
  });

  it("matches generated keys and defaults to their rows though RETURNING comes back shuffled", async () => {
    const db = new Database(":memory:");
    try {
      db.exec(
        `CREATE TABLE items (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, twice INTEGER GENERATED ALWAYS AS (length(name) * 2) STORED)`,
      );
      db.exec(`CREATE TABLE tagged (code TEXT PRIMARY KEY, name TEXT NOT NULL, made TEXT NOT NULL DEFAULT ('x' || 'y'))`);
      db.exec(`CREATE TABLE keyed (code TEXT PRIMARY KEY, name TEXT NOT NULL, n INTEGER DEFAULT 7) WITHOUT ROWID`);
      db.exec(`INSERT INTO items (name) VALUES ('before')`);
      const writer = (await seedInsert.writer({ driver: new BetterSqlite3Driver() }, { connect: async () => shufflingDatabase(db) }))!;
      expect(writer).toBeDefined();

      const names = Array.from({ length: 2500 }, (_, i) => "n".repeat(1 + (i % 13)) + String(i));
      const back = await writer.insert({ table: ["items"], columns: ["name"], returning: ["id", "twice"] }, [names], names.length);
      const stored = db.prepare(`SELECT id, name, twice FROM items WHERE name <> 'before'`).all() as Array<{
        id: number;
        name: string;
        twice: number;
      }>;
      const byId = new Map(stored.map((r) => [r.id, r]));
      expect(back).toHaveLength(names.length);
      back.forEach(([id, twice], i) => {
        expect(byId.get(id as number)?.name).toBe(names[i]);
        expect(twice).toBe(names[i]!.length * 2);
      });

      // A rowid table without an integer key: the rowid is returned explicitly, and stripped again.
      const codes = ["c", "a", "b", "e", "d"];
      const made = await writer.insert(
        { table: ["tagged"], columns: ["code", "name"], returning: ["code", "made"] },
        [codes, codes.map((c) => `name ${c}`)],
        codes.length,
      );
      expect(made).toEqual(codes.map((c) => [c, "xy"]));

      // WITHOUT ROWID: nothing to order by, so a row a statement (each statement's one row is its own).
      const before = writer.statements;
      const keyed = await writer.insert(
        { table: ["keyed"], columns: ["code", "name"], returning: ["code", "n"] },
        [codes, codes],
        codes.length,
      );
      expect(keyed).toEqual(codes.map((c) => [c, 7]));
      expect(writer.statements - before).toBe(codes.length + 1);
    } finally {
      db.close();
    }
  });
});
