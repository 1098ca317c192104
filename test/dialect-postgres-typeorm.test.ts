/**
 * TypeORM as the outside oracle for the PostgreSQL dialect:
 * - the model reader's IR for real entity files, normalised, equals what the
 *   introspector reads from a database TypeORM synchronised from the same classes;
 * - tables and enum types we create from that IR leave TypeORM's own schema builder
 *   nothing to do.
 */
import "reflect-metadata";
import path from "node:path";
import { DataSource } from "typeorm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbConnection } from "../src/dialects/dialect.js";
import { postgresDialect as pg } from "../src/dialects/postgres/index.js";
import { expandGlobs, loadModule } from "../src/load/typescript.js";
import { readModels } from "../src/models/index.js";
import type { Op } from "../src/ops/ops.js";
import type { SchemaIR } from "../src/schema/ir.js";
import { createPgDatabase, pgAvailable, queryEach, type TestPgDatabase } from "./helpers/databases.js";
import { MODELS_EXAMPLE_DIR } from "./helpers/project.js";

const PG = await pgAvailable();
const ROOT = path.resolve(import.meta.dirname, "..");

const MODEL_SETS = [
  { label: "models-example", baseDir: MODELS_EXAMPLE_DIR, pattern: "entities/*.ts" },
  { label: "pg-only fixtures", baseDir: path.join(ROOT, "fixtures", "entities"), pattern: "pg-only/*.ts" },
  { label: "library fixtures", baseDir: path.join(ROOT, "fixtures", "entities"), pattern: "library-ts/*.ts" },
];

/** The classes readModels sees: same files, same module instances. */
function entityClasses(baseDir: string, pattern: string): Function[] {
  return expandGlobs([pattern], baseDir).flatMap((file) =>
    Object.values(loadModule(file)).filter((v): v is Function => typeof v === "function"),
  );
}

describe.skipIf(!PG)("PostgreSQL dialect against TypeORM", () => {
  let db: TestPgDatabase;
  let conn: DbConnection;

  beforeAll(async () => {
    db = await createPgDatabase("autogen_pg_typeorm");
    conn = await pg.connect(db.url);
  });
  afterAll(async () => {
    await conn?.close();
    await db?.drop();
  });

  async function resetPublic(): Promise<void> {
    await queryEach(conn, `DROP SCHEMA public CASCADE; CREATE SCHEMA public`);
  }

  async function typeorm(entities: Function[], synchronize: boolean): Promise<DataSource> {
    const ds = new DataSource({ type: "postgres", url: db.url, entities, synchronize, logging: false });
    return ds.initialize();
  }

  it.each(MODEL_SETS)("$label: introspecting what TypeORM synchronised gives the normalised model IR", async ({ baseDir, pattern }) => {
    await resetPublic();
    const model = pg.normalizeSchema(await readModels({ dialect: "postgres", baseDir, entities: [pattern] }));
    const ds = await typeorm(entityClasses(baseDir, pattern), true);
    await ds.destroy();
    const live = await pg.introspect(conn, { versionTable: "autogen_version", excludeTables: ["typeorm_metadata"] });
    expect(live).toEqual(model);
  });

  /** The statements TypeORM's schema builder would still run against the current database. */
  async function typeormPending(entities: Function[]): Promise<string[]> {
    const ds = await typeorm(entities, false);
    try {
      return (await ds.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query);
    } finally {
      await ds.destroy();
    }
  }

  it.each(MODEL_SETS)(
    "$label: what we create from the model IR leaves TypeORM nothing more to do than its own sync",
    async ({ baseDir, pattern }) => {
      const entities = entityClasses(baseDir, pattern);
      // TypeORM is not always at rest after its own synchronize (a jsonb default written
      // as `'{}'::jsonb` is re-set forever); that residue is the bar, not zero.
      await resetPublic();
      await (await typeorm(entities, true)).destroy();
      const afterTypeormSync = await typeormPending(entities);

      await resetPublic();
      const model = pg.normalizeSchema(await readModels({ dialect: "postgres", baseDir, entities: [pattern] }));
      const ops: Op[] = [
        ...model.enums.map((e): Op => ({ kind: "createEnum", enum: e })),
        ...model.tables.map((t): Op => ({ kind: "createTable", table: { ...t, foreignKeys: [] } })),
        ...model.tables.flatMap((t) => t.foreignKeys.map((fk): Op => ({ kind: "createForeignKey", table: t.name, foreignKey: fk }))),
      ];
      let state: SchemaIR = { dialect: "postgres", tables: [], enums: [] };
      for (const op of ops) {
        for (const sql of pg.renderOp(op, state)) await conn.query(sql);
        state = await pg.introspect(conn, { versionTable: "autogen_version" });
      }
      expect(state).toEqual(model);
      expect(await typeormPending(entities)).toEqual(afterTypeormSync);
    },
  );
});
