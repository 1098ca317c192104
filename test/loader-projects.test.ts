/**
 * Real-project fixtures (fixtures/projects/*), each on every database (DATABASE_KINDS):
 * autogenerate from empty -> upgrade head -> TypeORM's own schema builder has nothing
 * to do -> a second autogenerate writes nothing -> `autogen check` exits 0 ->
 * downgrade base leaves only the version table.
 *
 * Each fixture is one way a project can be shaped that a file-at-a-time loader
 * misreads: imported type aliases and enums, tsconfig `paths`, an ESM project with
 * `.js` specifiers and `.mts`/`.cts` files, compiled `dist/*.js` entities,
 * EntitySchema by glob and through a DataSource, decorators that register late.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { downgrade, revision, upgrade, Workspace } from "../src/api/index.js";
import { requireFromProject } from "../src/load/typescript.js";
import { resolveModelSource } from "../src/models/index.js";
import type { DialectName } from "../src/schema/ir.js";
import { databaseKind, DATABASE_KINDS } from "./helpers/databases.js";
import { copyFixture, FIXTURE_PROJECTS, type FixtureCopy } from "./helpers/fixture-projects.js";
import { spawnCli } from "./helpers/cli.js";
import { typeormOptions } from "./helpers/typeorm-oracle.js";

interface TypeOrmDataSource {
  initialize(): Promise<unknown>;
  destroy(): Promise<unknown>;
  driver: { createSchemaBuilder(): { log(): Promise<{ upQueries: Array<{ query: string }> }> } };
}

/**
 * The outside oracle with the fixture's own entities, loaded as autogen loads them
 * (classes, EntitySchemas, DataSource globs): TypeORM connects and says what its
 * schema builder would still run.
 */
async function typeormPending(fixture: FixtureCopy, dialect: DialectName, url: string): Promise<string[]> {
  const { entities, dataSource } = fixture.settings;
  const source = await resolveModelSource({
    baseDir: fixture.dir,
    ...(dataSource ? { dataSource } : { entities: entities ?? [] }),
  });
  const typeorm = requireFromProject(source.projectDir, "typeorm") as {
    DataSource: new (options: Record<string, unknown>) => TypeOrmDataSource;
  };
  const ds = new typeorm.DataSource({ ...typeormOptions(dialect, url), entities: source.entities });
  await ds.initialize();
  try {
    return (await ds.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query);
  } finally {
    await ds.destroy();
  }
}

async function tablesIn(config: string): Promise<string[]> {
  const ws = new Workspace({ config });
  return ws.withConnection(async (conn) =>
    (await conn.query<{ name: string }>(databaseKind(ws.dialect.name).tablesQuery)).map((r) => r.name),
  );
}

it("has the fixtures the loader promises to read", () => {
  expect(FIXTURE_PROJECTS).toEqual(
    expect.arrayContaining([
      "compiled-js",
      "entity-schema-datasource",
      "entity-schema-glob",
      "esm-project",
      "late-decorators",
      "paths-alias",
      "type-alias",
    ]),
  );
});

for (const name of FIXTURE_PROJECTS) {
  for (const kind of DATABASE_KINDS) {
    const dialect = kind.dialect;
    describe.skipIf(!(await kind.available()))(`${name} on ${dialect}`, () => {
      let fixture: FixtureCopy;
      let url: string;
      let cleanup: () => Promise<void>;

      beforeAll(async () => {
        ({ url, cleanup } = await kind.create("autogen_fx"));
        fixture = copyFixture(name, { url });
      });
      afterAll(async () => {
        fixture?.remove();
        await cleanup?.();
      });

      it("autogenerates from empty and upgrades to head", async () => {
        const first = await revision({ config: fixture.config, message: "init", autogenerate: true });
        expect(first.written).toBe(true);
        if (!first.written) return;
        expect(first.ops.filter((o) => o.kind === "createTable").length).toBeGreaterThanOrEqual(1);
        const up = await upgrade({ config: fixture.config, target: "head" });
        expect(up.steps).toHaveLength(1);
      });

      it("leaves TypeORM's own schema builder nothing to do", async () => {
        expect(await typeormPending(fixture, dialect, url)).toEqual([]);
      });

      it("writes nothing on a second autogenerate", async () => {
        const versions = path.join(fixture.dir, "versions");
        const before = readdirSync(versions);
        const second = await revision({ config: fixture.config, message: "again", autogenerate: true });
        expect(second.written).toBe(false);
        expect(readdirSync(versions)).toEqual(before);
      });

      it("passes `autogen check` (exit 0) as a new process", () => {
        const r = spawnCli(["check"], { cwd: fixture.dir });
        expect(r.stderr.replace(/^autogen: note: .*\n/gm, "")).toBe("");
        expect(r.status).toBe(0);
      });

      it("downgrades to base, leaving only the version table", async () => {
        await downgrade({ config: fixture.config, target: "base", force: true });
        expect(await tablesIn(fixture.config)).toEqual(["autogen_version", "autogen_version_log"]); // bookkeeping: version table and migration log
      });
    });
  }
}
