/**
 * Issue 16 (acceptance of item 1): injection through every expression-bearing field — a
 * default, a CHECK, a computed column, an index's WHERE, a view's query — on every
 * database, from a model (entity decorators, through `revision --autogenerate`) and from a
 * hand-written revision, online (`upgrade`) and offline (`upgrade --sql`): refused with
 * one line naming the object, exit non-zero, nothing run (the `victim` table and its row
 * survive, no table of the revision exists, the version table holds no row).
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDialect } from "../src/dialects/index.js";
import type { DbConnection } from "../src/dialects/dialect.js";
import { DATABASE_KINDS, createTempDir, type TempDir } from "./helpers/databases.js";
import { runCli } from "./helpers/cli.js";

interface Field {
  name: string;
  payload: string;
  /** What the one-line refusal names. */
  names: RegExp;
  /** The hand-written revision's op, on table `t`. */
  op: (payload: string) => string;
  /** The model: class decorators, column decorators, extra entity. */
  model: (payload: string) => { classDecorators?: string; column?: string; extra?: string };
}

const FIELDS: Field[] = [
  {
    name: "default",
    payload: "0; DROP TABLE victim; -- ",
    names: /default of (t|thing)\.c\b/,
    op: (p) => `op.addColumn("t", { name: "c", type: "integer", nullable: true, default: ${JSON.stringify(p)} });`,
    model: (p) => ({ column: `@Column({ type: "integer", nullable: true, default: () => ${JSON.stringify(p)} })` }),
  },
  {
    name: "CHECK",
    payload: "id > 0); DROP TABLE victim; -- ",
    names: /check CHK_evil on (t|thing)\b/,
    op: (p) => `op.createCheckConstraint("CHK_evil", "t", ${JSON.stringify(p)});`,
    model: (p) => ({ classDecorators: `@Check("CHK_evil", ${JSON.stringify(p)})` }),
  },
  {
    name: "computed column",
    payload: "1) STORED; DROP TABLE victim; -- ",
    names: /generated column (t|thing)\.c\b/,
    op: (p) =>
      `op.addColumn("t", { name: "c", type: "integer", nullable: true, computed: { expression: ${JSON.stringify(p)}, stored: true } });`,
    model: (p) => ({ column: `@Column({ type: "integer", nullable: true, asExpression: ${JSON.stringify(p)}, generatedType: "STORED" })` }),
  },
  {
    name: "index WHERE",
    payload: "id > 0; DROP TABLE victim; -- ",
    names: /WHERE of index IDX_evil on (t|thing)\b/,
    op: (p) => `op.createIndex("IDX_evil", "t", ["id"], { where: ${JSON.stringify(p)} });`,
    model: (p) => ({ classDecorators: `@Index("IDX_evil", ["id"], { where: ${JSON.stringify(p)} })` }),
  },
  {
    name: "view definition",
    payload: "SELECT 1 AS x; DROP TABLE victim; -- ",
    names: /definition of view v_evil\b/,
    op: (p) => `op.createView("v_evil", ${JSON.stringify(p)});`,
    model: (p) => ({
      extra: `@ViewEntity({ name: "v_evil", expression: ${JSON.stringify(p)} })\nexport class Evil {\n  @ViewColumn()\n  x!: number;\n}\n`,
    }),
  },
];

function entitySource(field: Field): string {
  const m = field.model(field.payload);
  return `import { Check, Column, Entity, Index, PrimaryColumn, ViewColumn, ViewEntity } from "typeorm";

${m.classDecorators ?? ""}
@Entity("thing")
export class Thing {
  @PrimaryColumn({ type: "integer" })
  id!: number;
${m.column ? `\n  ${m.column}\n  c!: number;\n` : ""}}

${m.extra ?? ""}`;
}

function revisionSource(field: Field): string {
  return `export const revision = "aaaaaaaaaaaa";
export const downRevision = null;
export const message = "evil";

export function upgrade(op: any) {
  op.createTable("t", { columns: [{ name: "id", type: "integer", nullable: false }], primaryKey: { columns: ["id"] } });
  ${field.op(field.payload)}
}

export function downgrade(op: any) {
  op.dropTable("t");
}
`;
}

for (const kind of DATABASE_KINDS) {
  const available = await kind.available();
  describe.skipIf(!available)(`expression text on ${kind.dialect}`, () => {
    let dir: TempDir;
    let db: { url: string; cleanup(): Promise<void> };
    let conn: DbConnection;
    const dialect = getDialect(kind.dialect);
    const tables = async () => (await conn.query<{ name: string }>(kind.tablesQuery)).map((r) => r.name);

    beforeAll(async () => {
      dir = createTempDir(`autogen-injection-${kind.dialect}-`);
      db = await kind.create("autogen_inj");
      conn = await dialect.connect(db.url);
      await conn.query("CREATE TABLE victim (id integer)");
      await conn.query("INSERT INTO victim (id) VALUES (1)");
      mkdirSync(dir.file("models"));
      mkdirSync(dir.file("versions"));
      writeFileSync(
        dir.file("autogen.config.json"),
        JSON.stringify({ url: db.url, entities: ["models/*.ts"], versionsDir: "versions", excludeTables: ["victim"] }),
      );
    });
    afterAll(async () => {
      await conn?.close();
      await db?.cleanup();
      dir?.remove();
    });

    /** Nothing of the revision ran: victim and its row are there, no other table but the version table, no version row. */
    const expectNothingRan = async () => {
      expect(await conn.query("SELECT id FROM victim")).toHaveLength(1);
      const left = (await tables()).filter((t) => t !== "victim" && !t.startsWith("autogen_version"));
      expect(left).toEqual([]);
      if ((await tables()).includes("autogen_version")) expect(await conn.query("SELECT version_num FROM autogen_version")).toEqual([]);
    };

    const expectRefused = async (field: Field) => {
      const cli = (args: string[]) => runCli(args, { cwd: dir.dir });
      const offline = await cli(["upgrade", "head", "--sql"]);
      expect(offline.status, offline.stderr).not.toBe(0);
      expect(offline.stdout).not.toMatch(/DROP TABLE victim/);
      const online = await cli(["upgrade", "head"]);
      expect(online.status, online.stderr).not.toBe(0);
      for (const run of [offline, online]) {
        const line = run.stderr.trim();
        expect(line.split("\n"), line).toHaveLength(1);
        expect(line).toMatch(field.names);
        expect(line).toMatch(/not a single SQL (expression|query)/);
        expect(line).not.toMatch(/\n\s+at /);
      }
      await expectNothingRan();
    };

    const reset = () => {
      for (const sub of ["models", "versions"]) {
        for (const f of readdirSync(dir.file(sub))) rmSync(dir.file(`${sub}/${f}`), { recursive: true, force: true });
      }
    };

    for (const field of FIELDS) {
      it(`${field.name}: a hand-written revision is refused online and offline, nothing run`, async () => {
        reset();
        writeFileSync(dir.file("versions/aaaaaaaaaaaa_evil.ts"), revisionSource(field));
        await expectRefused(field);
      });

      it(`${field.name}: a model's text is refused at upgrade, online and offline, nothing run`, async () => {
        reset();
        writeFileSync(dir.file("models/thing.ts"), entitySource(field));
        const gen = await runCli(["revision", "--autogenerate", "-m", "evil"], { cwd: dir.dir });
        if (gen.status !== 0) {
          // Refused before any revision was written is refused too: one line, nothing run.
          expect(gen.stderr.trim().split("\n")).toHaveLength(1);
          expect(readdirSync(dir.file("versions")).filter((f) => f.endsWith(".ts"))).toEqual([]);
          await expectNothingRan();
          return;
        }
        const written = readdirSync(dir.file("versions")).filter((f) => f.endsWith(".ts"));
        if (!readFileSync(dir.file(`versions/${written[0]}`), "utf8").includes("DROP TABLE victim")) {
          // The database has no such field (MySQL has no partial indexes): the model's text is left out, never sent.
          const up = await runCli(["upgrade", "head"], { cwd: dir.dir });
          expect(up.status, up.stderr).toBe(0);
          expect(await conn.query("SELECT id FROM victim")).toHaveLength(1);
          expect((await runCli(["downgrade", "base"], { cwd: dir.dir })).status).toBe(0);
          return;
        }
        await expectRefused(field);
      });
    }
  });
}
