/**
 * The model reader uses the user's own TypeORM. For a project on TypeORM 0.3.x
 * (installed here as the `typeorm03` alias and linked in as the project's `typeorm`),
 * the IR must be exactly what TypeORM 0.3's own synchronize creates, on every database
 * (0.3 and 1.x differ: e.g. 0.3 gives a junction table's inverse FK no CASCADE).
 */
import { cpSync, mkdirSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDialect } from "../src/dialects/index.js";
import { readModels } from "../src/models/index.js";
import { expandGlobs, loadModule, requireFromProject } from "../src/load/typescript.js";
import { availability, createTempDir, DATABASE_KINDS, type TempDir } from "./helpers/databases.js";
import { REPO_ROOT, MODELS_EXAMPLE_DIR } from "./helpers/project.js";
import { projectDataSource } from "./helpers/typeorm-oracle.js";

const AVAILABLE = await availability();
let project: TempDir;

beforeAll(() => {
  project = createTempDir("autogen-typeorm03-");
  cpSync(path.join(MODELS_EXAMPLE_DIR, "entities"), project.file("entities"), { recursive: true });
  mkdirSync(project.file("node_modules"));
  symlinkSync(path.join(REPO_ROOT, "node_modules/typeorm03"), project.file("node_modules/typeorm"), "dir");
  symlinkSync(path.join(REPO_ROOT, "node_modules/reflect-metadata"), project.file("node_modules/reflect-metadata"), "dir");
});
afterAll(() => project.remove());

describe("a project on TypeORM 0.3.x", () => {
  it("resolves the project's own typeorm, not autogen's", () => {
    const resolved = createRequire(project.file("x.js")).resolve("typeorm");
    expect(resolved).toContain(`${path.sep}typeorm03${path.sep}`);
    expect(requireFromProject(project.dir, "typeorm")).toBe(createRequire(project.file("x.js"))("typeorm"));
  });

  for (const kind of DATABASE_KINDS) {
    const dialect = kind.dialect;
    it.skipIf(!AVAILABLE[dialect])(`reads exactly what TypeORM 0.3's own synchronize creates (${dialect})`, async () => {
      const d = getDialect(dialect);
      const fromModels = d.normalizeSchema(await readModels({ dialect, entities: ["entities/*.ts"], baseDir: project.dir }));
      expect(fromModels.tables.map((t) => t.name)).toEqual(["categories", "comments", "post_tags", "posts", "tags", "users"]);

      // TypeORM 0.3 itself creates the schema; our introspector reads it back.
      const db = await kind.create("autogen_typeorm03");
      try {
        const typeorm = requireFromProject(project.dir, "typeorm") as {
          DataSource: new (o: Record<string, unknown>) => { initialize(): Promise<unknown>; destroy(): Promise<unknown> };
        };
        const entities = expandGlobs(["entities/*.ts"], project.dir).flatMap((f) =>
          Object.values(loadModule(f)).filter((v) => typeof v === "function"),
        );
        const ds = projectDataSource(typeorm, dialect, db.url, { entities, synchronize: true });
        await ds.initialize();
        await ds.destroy();
        const conn = await d.connect(db.url);
        try {
          expect(await d.introspect(conn, { versionTable: "autogen_version" })).toEqual(fromModels);
        } finally {
          await conn.close();
        }
      } finally {
        await db.cleanup();
      }
    });
  }
});
