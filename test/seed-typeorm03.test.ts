/**
 * Seeding a project on TypeORM 0.3.x (the `typeorm03` alias linked in as the project's
 * `typeorm`): the DataSource is built with the project's own TypeORM — driver type
 * "sqlite" on 0.3, where 1.x needs "better-sqlite3" — and the example's seeders and
 * factories, copied into the project, do Exercise 3 on every database.
 */
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { revision, seed, upgrade } from "../src/api/index.js";
import { loadConfig } from "../src/config/config.js";
import { getDialect } from "../src/dialects/index.js";
import { requireFromProject } from "../src/load/typescript.js";
import { connectDataSource } from "../src/seed/index.js";
import type { DialectName } from "../src/schema/ir.js";
import { availability, createTempDir, DATABASE_KINDS, type TempDir } from "./helpers/databases.js";
import { MODELS_EXAMPLE, REPO_ROOT, MODELS_EXAMPLE_DIR } from "./helpers/project.js";

const AVAILABLE = await availability();
let project: TempDir;

beforeAll(() => {
  project = createTempDir("autogen-seed-typeorm03-");
  cpSync(path.join(MODELS_EXAMPLE_DIR, "entities"), project.file("entities"), { recursive: true });
  cpSync(path.join(MODELS_EXAMPLE_DIR, "seeds"), project.file("seeds"), { recursive: true });
  mkdirSync(project.file("node_modules"));
  symlinkSync(path.join(REPO_ROOT, "node_modules/typeorm03"), project.file("node_modules/typeorm"), "dir");
  symlinkSync(path.join(REPO_ROOT, "node_modules/reflect-metadata"), project.file("node_modules/reflect-metadata"), "dir");
  symlinkSync(REPO_ROOT, project.file("node_modules/autogen"), "dir");
});
afterAll(() => project.remove());

function writeConfig(name: string, config: Record<string, unknown>): string {
  const file = project.file(name);
  writeFileSync(file, JSON.stringify(config));
  return file;
}

async function countRows(dialect: DialectName, url: string, table: string): Promise<number> {
  const d = getDialect(dialect);
  const conn = await d.connect(url);
  try {
    return Number(((await conn.query(`SELECT count(*) AS n FROM ${d.quoteIdent(table)}`))[0] as { n: unknown }).n);
  } finally {
    await conn.close();
  }
}

describe("seeding a project on TypeORM 0.3.x", () => {
  it("connects with the project's own TypeORM: driver 'sqlite' on 0.3, 'better-sqlite3' on 1.x", async () => {
    const own = requireFromProject(project.dir, "typeorm") as { DataSource: abstract new (...args: never[]) => unknown };
    const onOld = await connectDataSource(
      loadConfig({
        config: writeConfig("driver03.config.json", { url: "sqlite:./driver03.sqlite", entities: ["entities/*.ts"] }),
        env: {},
      }),
    );
    try {
      expect(onOld).toBeInstanceOf(own.DataSource);
      expect(onOld.options.type).toBe("sqlite");
      expect(onOld.isInitialized).toBe(true);
    } finally {
      await onOld.destroy();
    }
    const onNew = await connectDataSource(
      loadConfig({ config: writeConfig("driver1x.config.json", { url: "sqlite:./driver1x.sqlite", entities: [MODELS_EXAMPLE] }), env: {} }),
    );
    try {
      expect(onNew).not.toBeInstanceOf(own.DataSource);
      expect(onNew.options.type).toBe("better-sqlite3");
    } finally {
      await onNew.destroy();
    }
  });

  for (const kind of DATABASE_KINDS) {
    const dialect = kind.dialect;
    it.skipIf(!AVAILABLE[dialect])(`seeds Exercise 3 with the example's seeders (${dialect})`, async () => {
      const db = await kind.create("autogen_seed03");
      const url = db.url;
      try {
        const config = writeConfig(`${dialect}.config.json`, {
          url,
          entities: ["entities/*.ts"],
          versionsDir: `versions-${dialect}`,
          seedsDir: "seeds",
        });
        await revision({ config, message: "create blog", autogenerate: true });
        await upgrade({ config, target: "head" });
        const result = await seed({ config, fakerSeed: 3 });
        expect(result.seeders.map((s) => s.name)).toEqual(["DatabaseSeeder", "UserSeeder", "BlogSeeder"]);
        expect(await countRows(dialect, url, "users")).toBe(101);
        expect(await countRows(dialect, url, "posts")).toBe(500);
        expect(await countRows(dialect, url, "comments")).toBe(1000);
      } finally {
        await db.cleanup();
      }
    });
  }
});
