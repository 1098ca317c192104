/**
 * Schema objects beyond plain tables, one fixture each (fixtures/schema-objects/<name>/),
 * through the whole cycle on every database that declares the feature (an op kind of its
 * own, a capability; see `runsOn`): autogenerate from empty
 * -> upgrade head -> TypeORM's own schema builder has nothing left to do -> a second
 * autogenerate writes nothing -> check passes -> downgrade base leaves only the version
 * table. Plus: a database TypeORM itself synchronised is already what the models say.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { check, downgrade, revision, upgrade, Workspace } from "../src/api/index.js";
import { readDatabaseSchema, readTargetSchema } from "../src/autogenerate.js";
import { getDialect } from "../src/dialects/index.js";
import { DATABASE_OP_KINDS } from "../src/dialects/op-kinds.js";
import type { DialectName } from "../src/schema/ir.js";
import { availability, databaseKind, TEST_DIALECTS } from "./helpers/databases.js";
import { createProject, REPO_ROOT, type TestProject } from "./helpers/project.js";
import { typeormBuild, typeormPendingQueries } from "./helpers/typeorm-oracle.js";

const AVAILABLE = await availability();

const fixture = (name: string) => path.join(REPO_ROOT, "fixtures/schema-objects", name, "*.ts");

/** Whether a database has an op kind: a core one, or one its own folder defines (../src/dialects/op-kinds.ts). */
const hasOpKind = (dialect: DialectName, kind: string) => {
  const own = DATABASE_OP_KINDS.find((k) => k.kind === kind);
  return own === undefined || getDialect(dialect).title.startsWith(own.database);
};

/** The fixture's SQL quotes identifiers with double quotes: it runs where the database does too. */
const quotesIdentifiersWithDoubleQuotes = (dialect: DialectName) => getDialect(dialect).quoteIdent("x") === '"x"';

interface Case {
  name: string;
  /** The databases the fixture is for, by what they declare (absent: every database). */
  runsOn?: (dialect: DialectName) => boolean;
  /** What the first revision must contain (proves the feature is really exercised). */
  expectInRevision: RegExp[];
  /** Where TypeORM's own synchronize builds something other than the models say (its bug, not autogen's): why. */
  typeormSyncWrong?: Partial<Record<DialectName, string>>;
}

const CASES: Case[] = [
  { name: "junction-both-sides", expectInRevision: [/op\.createTable\("post_tags"/] },
  { name: "closure-sti", expectInRevision: [/op\.createTable\("category_closure"/] },
  {
    name: "extensions",
    runsOn: (d) => hasOpKind(d, "createExtension"),
    expectInRevision: [/op\.createExtension\("hstore"\)/, /op\.createExtension\("uuid-ossp"\)/],
  },
  {
    name: "view-two-tables",
    runsOn: quotesIdentifiersWithDoubleQuotes,
    expectInRevision: [/op\.createView\(\s*"book_titles"/, /op\.createView\(\s*"author_book_counts"/],
  },
  {
    name: "materialized-view",
    runsOn: (d) => getDialect(d).capabilities.materializedViews === true,
    expectInRevision: [/op\.createView\(\s*"customer_totals",[\s\S]*\{ materialized: true \}/],
  },
  {
    name: "exclusion",
    runsOn: (d) => hasOpKind(d, "createExclusion") && hasOpKind(d, "createExtension"),
    expectInRevision: [/XCL_bookings_room_during/, /op\.createExtension\("btree_gist"\)/],
  },
  {
    name: "timestamp-defaults",
    // PostgreSQL's own types and spellings (timestamptz, LOCALTIMESTAMP(3)): scoped to it by design.
    runsOn: (d) => d === "postgres",
    expectInRevision: [/default: "current_timestamp\(6\)"/, /default: "localtimestamp\(3\)"/],
  },
  {
    name: "comment-control-chars",
    expectInRevision: [/op\.createTable\("notes"/],
    typeormSyncWrong: { mysql: "TypeORM's MySQL CREATE TABLE writes the table comment unescaped: the server cuts it at the NUL" },
  },
];

const makeTarget = (dialect: DialectName) => databaseKind(dialect).create("autogen_schemaobj");
type Target = Awaited<ReturnType<typeof makeTarget>>;

/** The tables and views of the project's database, sorted. */
async function relationsInDatabase(project: TestProject): Promise<string[]> {
  const ws = new Workspace({ config: project.config });
  return ws.withConnection(async (conn) => {
    const tables = (await conn.query<{ name: string }>(databaseKind(ws.dialect.name).tablesQuery)).map((r) => r.name);
    const schema = await ws.dialect.introspect(conn, { versionTable: "autogen_version" });
    return [...tables, ...(schema.views ?? []).map((v) => v.name)].sort();
  });
}

/** TypeORM's own `synchronize()` on a fresh database, as a project without migrations would have run it. */
const typeormSynchronize = (dialect: DialectName, url: string, glob: string) => typeormBuild(dialect, url, [glob], [], async () => {});

for (const c of CASES) {
  for (const dialect of TEST_DIALECTS.filter((d) => c.runsOn?.(d) ?? true)) {
    describe.skipIf(!AVAILABLE[dialect])(`${c.name} on ${dialect}`, () => {
      let target: Target;
      let project: TestProject;

      beforeAll(async () => {
        target = await makeTarget(dialect);
        project = createProject({ url: target.url, entities: [fixture(c.name)] });
      });
      afterAll(async () => {
        project?.remove();
        await target?.cleanup();
      });

      it("autogenerates from empty and upgrades to head; the database then equals the models", async () => {
        const first = await revision({ config: project.config, message: c.name, autogenerate: true });
        expect(first.written).toBe(true);
        if (!first.written) return;
        const text = readFileSync(first.path, "utf8");
        for (const pattern of c.expectInRevision) expect(text).toMatch(pattern);
        await upgrade({ config: project.config, target: "head" });
        const ws = new Workspace({ config: project.config });
        const modelIR = await readTargetSchema(ws.config, ws.dialect);
        const dbIR = await ws.withConnection((conn) => readDatabaseSchema(conn, ws.config, ws.dialect));
        expect(dbIR).toEqual(modelIR);
      });

      it("leaves TypeORM's own schema builder nothing to do", async () => {
        expect(await typeormPendingQueries(dialect, target.url, [fixture(c.name)])).toEqual([]);
      });

      it("writes nothing on a second autogenerate, and check passes", async () => {
        const second = await revision({ config: project.config, message: "again", autogenerate: true });
        expect(second.written).toBe(false);
        const result = await check({ config: project.config });
        expect(result.findings).toEqual([]);
        expect(result.ok).toBe(true);
      });

      it("downgrades to base, leaving only the version table", async () => {
        await downgrade({ config: project.config, target: "base", force: true });
        expect(await relationsInDatabase(project)).toEqual(["autogen_version", "autogen_version_log"]); // bookkeeping: version table and migration log
      });

      it.skipIf(c.typeormSyncWrong?.[dialect] !== undefined)("finds nothing to do on a database TypeORM synchronised itself", async () => {
        const synced = await makeTarget(dialect);
        const fresh = createProject({ url: synced.url, entities: [fixture(c.name)] });
        try {
          await typeormSynchronize(dialect, synced.url, fixture(c.name));
          const result = await check({ config: fresh.config });
          expect(result.ops).toEqual([]);
          expect(result.findings).toEqual([]);
        } finally {
          fresh.remove();
          await synced.cleanup();
        }
      });
    });
  }
}

for (const dialect of TEST_DIALECTS.filter(quotesIdentifiersWithDoubleQuotes)) {
  describe.skipIf(!AVAILABLE[dialect])(`a view over a table that changes, on ${dialect}`, () => {
    it("drops the views before the column changes and creates them again after, keeping TypeORM in agreement", async () => {
      const target = await makeTarget(dialect);
      const project = createProject({ url: target.url, entities: [fixture("view-two-tables")] });
      try {
        await revision({ config: project.config, message: "views", autogenerate: true });
        await upgrade({ config: project.config, target: "head" });
        project.write({ url: target.url, entities: [fixture("view-two-tables-changed")] });
        const change = await revision({ config: project.config, message: "wider title", autogenerate: true });
        expect(change.written).toBe(true);
        if (!change.written) return;
        expect(
          change.ops.map((o) => `${o.kind} ${"view" in o ? o.view.name : "table" in o && typeof o.table === "string" ? o.table : ""}`),
        ).toEqual([
          "dropView author_book_counts",
          "dropView book_titles",
          "alterColumn books",
          "createView book_titles",
          "createView author_book_counts",
        ]);
        await upgrade({ config: project.config, target: "head" });
        expect(await typeormPendingQueries(dialect, target.url, [fixture("view-two-tables-changed")])).toEqual([]);
        expect((await check({ config: project.config })).ok).toBe(true);
        await downgrade({ config: project.config, target: "-1" });
        expect(await typeormPendingQueries(dialect, target.url, [fixture("view-two-tables")])).toEqual([]);
        await downgrade({ config: project.config, target: "base", force: true });
        expect(await relationsInDatabase(project)).toEqual(["autogen_version", "autogen_version_log"]); // bookkeeping: version table and migration log
      } finally {
        project.remove();
        await target.cleanup();
      }
    });
  });
}

// An extension a database has before its first revision: where the dialect has extensions (catalog query: PostgreSQL's).
describe.skipIf(!AVAILABLE.postgres || !hasOpKind("postgres", "createExtension"))("an extension that existed before", () => {
  it("is not created again, and a downgrade to base keeps it", async () => {
    const target = await makeTarget("postgres");
    const project = createProject({ url: target.url, entities: [fixture("extensions")] });
    try {
      const ws = new Workspace({ config: project.config });
      await ws.withConnection((conn) => conn.query(`CREATE EXTENSION "hstore"`));
      const first = await revision({ config: project.config, message: "documents", autogenerate: true });
      expect(first.written).toBe(true);
      if (!first.written) return;
      const created = first.ops.flatMap((o) => (o.kind === "createExtension" ? [o.extension.name] : []));
      expect(created).toEqual(["uuid-ossp"]);
      await upgrade({ config: project.config, target: "head" });
      expect((await check({ config: project.config })).ok).toBe(true);
      await downgrade({ config: project.config, target: "base", force: true });
      const installed = await ws.withConnection((conn) =>
        conn.query<{ extname: string }>(`SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY extname`),
      );
      expect(installed.map((r) => r.extname)).toEqual(["hstore"]);
    } finally {
      project.remove();
      await target.cleanup();
    }
  });
});
