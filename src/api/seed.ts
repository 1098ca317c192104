/**
 * Laravel's `db:seed`: runs `DatabaseSeeder` (or another seeder) from the seeds
 * directory against a database that is at head, in one transaction.
 */
import { UsageError } from "../errors.js";
import { assertSeedsDir, connectDataSource, DEFAULT_SEEDER, findSeederFile, runSeeders, type SeederTiming } from "../seed/index.js";
import { assertAtHead } from "./status.js";
import { Workspace, type CommonOptions } from "./workspace.js";

/** What `seed` takes, and what `fresh`/`refresh` pass on with `--seed`. */
export interface SeedFlags {
  /** Seeder to run: a file name in the seeds directory (default DatabaseSeeder). */
  seeder?: string;
  /** Seeds faker (and fixes its reference date) so the data is the same on every run. */
  fakerSeed?: number;
}

export interface SeedOptions extends CommonOptions, SeedFlags {}

export interface SeedResult {
  /** Every seeder that ran, in the order they started. */
  seeders: SeederTiming[];
  /** Wall time of the whole run, connection included. */
  ms: number;
}

export async function seed(options: SeedOptions = {}): Promise<SeedResult> {
  const t0 = performance.now();
  if (options.fakerSeed !== undefined && !Number.isSafeInteger(options.fakerSeed)) {
    throw new UsageError(`--faker-seed must be a whole number${Number.isNaN(options.fakerSeed) ? "" : `, got ${options.fakerSeed}`}`);
  }
  const ws = Workspace.open(options);
  const graph = ws.graph();
  const { seedsDir } = ws.config;
  const seeder = options.seeder ?? DEFAULT_SEEDER;
  // File mistakes first: they need no database.
  assertSeedsDir(seedsDir, ws.config.file);
  findSeederFile(seedsDir, seeder);
  await ws.withConnection((conn) => assertAtHead(ws, conn, graph, "seed"));

  const dataSource = await connectDataSource(ws.config);
  try {
    const seeders = await runSeeders(dataSource, {
      seedsDir,
      seeder,
      dialect: ws.config.dialect,
      ...(options.fakerSeed !== undefined ? { fakerSeed: options.fakerSeed } : {}),
      log: ws.log,
    });
    return { seeders, ms: performance.now() - t0 };
  } finally {
    await dataSource.destroy();
  }
}
