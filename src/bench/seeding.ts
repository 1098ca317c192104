/**
 * Seeding speed: rows/s of the models-example factories (`factory(User).count(n).create()`
 * through `autogen seed`'s runner, faker included) against TypeORM's own
 * `repository.save()` and `repository.insert()` of the same rows (read back from the
 * seeded table, so TypeORM writes exactly what the factory wrote; faker not included).
 * On PostgreSQL and SQLite, in this process.
 *
 * Beside them, the ceiling: Faker alone, the same factory's definition called for the
 * same number of rows with a faker seeded the same way, writing nothing (a seeder that
 * only calls `UserFactory.definition`). No seeding can be faster than making its values.
 * It runs after ours, so it finds Faker's code already compiled by the JIT: if anything
 * the ceiling reads high, never ours.
 *
 * The project lives in a directory inside the repository (so the factories' `import
 * "autogen"` resolves to this package), with models-example's entities and factories
 * copied into it; models-example itself is never touched.
 */
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { revision, seed, upgrade } from "../api/index.js";
import { loadConfig } from "../config/config.js";
import { connectDataSource } from "../seed/index.js";
import type { DialectName } from "../schema/ir.js";
import { createPgDatabase } from "./databases.js";
import { timed } from "./measure.js";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const EXAMPLE = path.join(REPO_ROOT, "models-example");

export interface SeedFigure {
  dialect: DialectName;
  rows: number;
  factoryRowsPerSec: number;
  /** The factory's definition alone (Faker and the attribute object), nothing written. */
  fakerRowsPerSec: number;
  saveRowsPerSec: number;
  insertRowsPerSec: number;
}

const SEEDER = `import type { SeedContext } from "autogen";
import { User } from "../entities/User.js";

export default async function run({ factory }: SeedContext): Promise<void> {
  await factory(User).count(Number(process.env.AUTOGEN_BENCH_SEED_ROWS)).create();
}
`;

const FAKER_ONLY_SEEDER = `import type { SeedContext } from "autogen";
import { UserFactory } from "./factories/UserFactory.js";

export default async function run({ faker }: SeedContext): Promise<void> {
  const rows = Number(process.env.AUTOGEN_BENCH_SEED_ROWS);
  const made: unknown[] = [];
  for (let index = 0; index < rows; index++) made.push(await UserFactory.definition(faker, { sequence: index + 1, index }));
  if (made.length !== rows) throw new Error("made " + made.length + " rows");
}
`;

/** TypeORM's insert() has no chunking of its own; on SQLite it reads generated ids back with one OR term per row, and SQLite refuses expressions deeper than 1,000: 500 rows a call. */
const INSERT_CHUNK = 500;

async function seedOn(dialect: DialectName, url: string, dir: string, rows: number): Promise<SeedFigure> {
  cpSync(path.join(EXAMPLE, "entities"), path.join(dir, "entities"), { recursive: true });
  mkdirSync(path.join(dir, "seeds"));
  cpSync(path.join(EXAMPLE, "seeds/factories"), path.join(dir, "seeds/factories"), { recursive: true });
  cpSync(path.join(EXAMPLE, "tsconfig.json"), path.join(dir, "tsconfig.json"));
  writeFileSync(path.join(dir, "seeds/BenchSeeder.ts"), SEEDER);
  writeFileSync(path.join(dir, "seeds/FakerOnlySeeder.ts"), FAKER_ONLY_SEEDER);
  const config = path.join(dir, "autogen.config.json");
  writeFileSync(config, JSON.stringify({ url, entities: ["entities/*.ts"], versionsDir: "versions", seedsDir: "seeds" }, null, 2));

  await revision({ config, message: "models", autogenerate: true });
  await upgrade({ config, target: "head" });
  process.env.AUTOGEN_BENCH_SEED_ROWS = String(rows);
  const seeded = await seed({ config, seeder: "BenchSeeder", fakerSeed: 1 });
  const factoryMs = seeded.seeders[0]!.ms;
  const fakerMs = (await seed({ config, seeder: "FakerOnlySeeder", fakerSeed: 1 })).seeders[0]!.ms;

  const ds = await connectDataSource(loadConfig({ config }));
  try {
    const repo = ds.getRepository("User");
    const written = (await repo.find({ select: { email: true, displayName: true, bio: true }, order: { id: "ASC" } })) as Record<string, unknown>[];
    if (written.length !== rows) throw new Error(`the factory wrote ${written.length} users, expected ${rows}`);
    const fresh = () => written.map((r) => repo.create({ email: r.email, displayName: r.displayName, bio: r.bio }));
    // DELETE, not TRUNCATE: other tables reference users (none of their rows do here).
    const clear = () => repo.createQueryBuilder().delete().execute();

    await clear();
    const entities = fresh();
    const save = await timed(() => repo.save(entities));
    await clear();
    const plain = fresh();
    const insert = await timed(async () => {
      for (let at = 0; at < plain.length; at += INSERT_CHUNK) await repo.insert(plain.slice(at, at + INSERT_CHUNK));
    });
    if ((await repo.count()) !== rows) throw new Error("TypeORM insert() did not write every row");
    const perSec = (ms: number) => (rows / ms) * 1000;
    return { dialect, rows, factoryRowsPerSec: perSec(factoryMs), fakerRowsPerSec: perSec(fakerMs), saveRowsPerSec: perSec(save.ms), insertRowsPerSec: perSec(insert.ms) };
  } finally {
    await ds.destroy();
  }
}

export async function benchSeeding(rows: number): Promise<SeedFigure[]> {
  const figures: SeedFigure[] = [];
  for (const dialect of ["postgres", "sqlite"] as const) {
    const dir = path.join(REPO_ROOT, `.bench-seed-${process.pid}-${dialect}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    let drop: (() => Promise<void>) | undefined;
    try {
      let url = `sqlite:${path.join(dir, "seed.sqlite")}`;
      if (dialect === "postgres") {
        const db = await createPgDatabase();
        if ("unavailable" in db) continue;
        url = db.url;
        drop = db.drop;
      }
      figures.push(await seedOn(dialect, url, dir, rows));
    } finally {
      await drop?.().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return figures;
}
