/**
 * Issue 7.1: a string default is a value, quoted as a literal by the dialect, online and
 * offline; it can never end the statement and start another. A default given as a
 * function stays an expression. Text that is not one expression is refused at render time.
 */
import { afterEach, describe, expect, it } from "vitest";
import { getDialect } from "../src/dialects/index.js";
import type { Op } from "../src/ops/ops.js";
import { emptySchema, type DialectName } from "../src/schema/ir.js";
import pg from "pg";
import { TEST_DIALECTS, availability, createPgDatabase, databaseKind, type TestPgDatabase } from "./helpers/databases.js";
import { createSafetyProject, type SafetyProject } from "./helpers/safety.js";

const AVAILABLE = await availability();
const PG = AVAILABLE.postgres;
const pgKind = databaseKind("postgres");

async function pgQuery(url: string, sql: string): Promise<Array<Record<string, unknown>>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query(sql);
    const last = Array.isArray(result) ? result[result.length - 1] : result;
    return (last?.rows ?? []) as Array<Record<string, unknown>>;
  } finally {
    await client.end();
  }
}
const INJECTION = "a'); DROP TABLE victim; --";

const ENTITY = `
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

@Entity("thing")
export class Thing {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: "varchar", length: 50, default: ${JSON.stringify(INJECTION)} })
  note!: string;

  @Column({ type: "varchar", length: 50, default: "Don't know" })
  answer!: string;

  @Column({ type: "varchar", length: 50, default: () => "lower('EXPR')" })
  computedDefault!: string;
}
`;

describe.each<DialectName>(TEST_DIALECTS)("string defaults on %s", (dialect) => {
  let project: SafetyProject;
  afterEach(async () => project?.remove());

  it.skipIf(!AVAILABLE[dialect])("are quoted literals: victim survives, defaults stored, second autogenerate empty", async () => {
    project = await createSafetyProject(dialect, { excludeTables: ["victim"] });
    await project.query("CREATE TABLE victim (id integer)");
    await project.query("INSERT INTO victim (id) VALUES (1)");
    project.entity("thing", ENTITY);

    const gen = await project.cli(["revision", "--autogenerate", "-m", "thing"]);
    expect(gen.stderr).toBe("");
    expect(gen.status).toBe(0);

    const offline = await project.cli(["upgrade", "head", "--sql"]);
    expect(offline.status).toBe(0);
    expect(offline.stdout).toContain("'a''); DROP TABLE victim; --'");
    expect(offline.stdout).toContain("'Don''t know'");

    const up = await project.cli(["upgrade", "head"]);
    expect(up.stderr).toBe("");
    expect(up.status).toBe(0);

    expect(await project.query("SELECT id FROM victim")).toEqual([{ id: 1 }]);
    await project.query(`INSERT INTO thing (id) VALUES (1)`);
    const rows = await project.query(`SELECT note, answer, ${getDialect(dialect).quoteIdent("computedDefault")} FROM thing`);
    expect(rows).toEqual([{ note: INJECTION, answer: "Don't know", computedDefault: "expr" }]);

    const again = await project.cli(["revision", "--autogenerate", "-m", "nothing"]);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain("No changes in schema detected.");
    expect(project.versionFiles()).toHaveLength(1);
  });
});

describe.each<DialectName>(TEST_DIALECTS)("expression text on %s", (dialect) => {
  const render = (op: Op) => {
    const d = getDialect(dialect);
    const state = d.normalizeSchema({
      ...emptySchema(dialect),
      tables: [
        { name: "t", columns: [{ name: "id", type: "integer", nullable: false }], indexes: [], uniques: [], checks: [], foreignKeys: [] },
      ],
    });
    return d.renderOp(op, state);
  };

  it("an unquoted value that would close the clause and run a statement is refused, naming the column", () => {
    const op: Op = {
      kind: "addColumn",
      table: "t",
      column: { name: "c", type: "varchar", nullable: true, default: "'a'); DROP TABLE victim; --'" },
    };
    expect(() => render(op)).toThrow(/default of t\.c is not a single SQL expression/);
  });

  it("a quoted literal with quotes, semicolons and dashes inside is one expression", () => {
    const op: Op = {
      kind: "addColumn",
      table: "t",
      column: { name: "c", type: "varchar", nullable: true, default: "'a''); DROP TABLE victim; --'" },
    };
    expect(render(op).join("\n")).toContain("'a''); DROP TABLE victim; --'");
  });

  it("a check constraint that smuggles a second statement is refused", () => {
    const op: Op = { kind: "createCheck", table: "t", check: { name: "CHK_x", expression: "id > 0); DROP TABLE victim; --" } };
    expect(() => render(op)).toThrow(/not a single SQL expression/);
  });
});

/**
 * Issue 15.8: a database (or role) left at standard_conforming_strings = off reads a
 * backslash in '…' as an escape, so a default ending in one would swallow its closing
 * quote and the next literal's text would run as SQL. Every connection and every offline
 * script sets it on first.
 */
// A setting only PostgreSQL has: scoped to it by design.
describe.skipIf(!PG)("PostgreSQL with standard_conforming_strings = off", () => {
  const BACKSLASH_ENTITY = `
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

@Entity("paths")
export class Path {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: "varchar", length: 50, default: "C:\\\\" })
  dir!: string;

  @Column({ type: "varchar", length: 50, default: "); DROP TABLE victim; -- " })
  rest!: string;
}
`;
  let project: SafetyProject;
  let offline: TestPgDatabase | undefined;
  afterEach(async () => {
    await project?.remove();
    await offline?.drop();
  });

  const legacy = async (query: (sql: string) => Promise<unknown>, name: string) => {
    await query(`ALTER DATABASE "${name}" SET standard_conforming_strings = off`);
    await query("CREATE TABLE victim (id integer)");
    await query("INSERT INTO victim (id) VALUES (1)");
  };

  it("a default ending in a backslash stays inside its literal, online and through psql", async () => {
    project = await createSafetyProject("postgres", { excludeTables: ["victim"] });
    await legacy(project.query, new URL(project.url).pathname.slice(1));
    // The setting is really off for a plain new session: the test can fail.
    expect(await project.query("SHOW standard_conforming_strings")).toEqual([{ standard_conforming_strings: "off" }]);
    project.entity("paths", BACKSLASH_ENTITY);
    const gen = await project.cli(["revision", "--autogenerate", "-m", "paths"]);
    expect(gen.status, gen.stderr).toBe(0);

    const script = await project.cli(["upgrade", "head", "--sql"]);
    expect(script.status, script.stderr).toBe(0);
    expect(script.stdout.split("\n")[0]).toBe("SET standard_conforming_strings = on;");
    offline = await createPgDatabase("autogen_scs");
    const offlineQuery = (sql: string) => pgQuery(offline!.url, sql);
    await legacy(offlineQuery, offline.name);
    pgKind.runScript(offline.url, script.stdout);

    const up = await project.cli(["upgrade", "head"]);
    expect(up.status, up.stderr).toBe(0);

    for (const query of [project.query, offlineQuery]) {
      expect(await query("SELECT id FROM victim")).toEqual([{ id: 1 }]);
      await query("INSERT INTO paths DEFAULT VALUES");
      // Read on a connection that sets the setting on, so the value is shown as stored.
      expect(await query("SET standard_conforming_strings = on; SELECT dir, rest FROM paths")).toEqual([
        { dir: "C:\\", rest: "); DROP TABLE victim; -- " },
      ]);
    }
    const again = await project.cli(["revision", "--autogenerate", "-m", "nothing"]);
    expect(again.stdout).toContain("No changes in schema detected.");
  });
});
