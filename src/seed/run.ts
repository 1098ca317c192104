/**
 * Runs a seeder (and whatever it `call`s) inside ONE transaction on a connected
 * DataSource: either every seeder finishes and everything is committed, or the first
 * error rolls all of it back and is reported as one line naming the seeder file.
 */
import type { Faker } from "@faker-js/faker";
import type { DataSource, EntityMetadata, QueryRunner } from "typeorm";
import { UserError, errorMessage } from "../errors.js";
import { getDialect } from "../dialects/index.js";
import type { DialectName } from "../schema/ir.js";
import { BulkInserter } from "./bulk-insert.js";
import type { SeedContext } from "./context.js";
import {
  FactoryBuilder,
  registeredFactory,
  targetName,
  type FactoryDefinition,
  type FactoryRuntime,
  type FactoryTarget,
} from "./factory.js";
import { findSeederFile, loadFactoryFiles, loadSeeder, seederName, type SeederFunction } from "./files.js";
import { oneLine } from "../errors.js";

/**
 * With `--faker-seed`, dates are drawn relative to this instant instead of "now", so
 * `faker.date.past()` and friends give the same values on every run too.
 */
export const SEEDED_REFERENCE_DATE = "2025-01-01T00:00:00.000Z";

export interface SeedRunOptions {
  seedsDir: string;
  /** Seeder to start with (a file name in seedsDir, without extension). */
  seeder: string;
  /** The database the DataSource reaches: its dialect writes factories' rows many at a time. */
  dialect: DialectName;
  fakerSeed?: number;
  log: (line: string) => void;
}

export interface SeederTiming {
  name: string;
  file: string;
  /** Wall time of this seeder, including the seeders it called. */
  ms: number;
}

/** A seeder's failure, already named after its file; outer seeders pass it on unchanged. */
class SeederFailure extends UserError {}

function seederFailure(file: string, err: unknown): UserError {
  if (err instanceof SeederFailure) return err;
  const failure = new SeederFailure(`${file}: seeding failed and was rolled back (nothing was written): ${oneLine(errorMessage(err))}`);
  (failure as { cause?: unknown }).cause = err;
  return failure;
}

/** A faker of its own per run (the package loads only when seeding: it weighs ~120 ms). */
async function createFaker(seed: number | undefined): Promise<Faker> {
  const { Faker, base, en } = await import("@faker-js/faker");
  const faker = new Faker({ locale: [en, base] });
  if (seed !== undefined) {
    faker.seed(seed);
    faker.setDefaultRefDate(SEEDED_REFERENCE_DATE);
  }
  return faker;
}

function factoryRuntime(dataSource: DataSource, queryRunner: QueryRunner, faker: Faker, dialect: DialectName): FactoryRuntime {
  const sequences = new Map<unknown, number>();
  // Looked up once per target: a lookup walks every entity's metadata, and factories ask per row.
  const metadata = new Map<unknown, EntityMetadata>();
  const metadataOf = (target: unknown): EntityMetadata => {
    let found = metadata.get(target);
    if (!found) {
      if (!dataSource.hasMetadata(target as FactoryTarget<unknown>)) {
        throw new UserError(`${targetName(target)} is not one of this project's entities (check "entities" or "dataSource" in the config)`);
      }
      found = dataSource.getMetadata(target as FactoryTarget<unknown>);
      metadata.set(target, found);
    }
    return found;
  };
  // Opened on first use (the query runner is connected by then), and kept: no await before a batch's statement is sent.
  let opening: Promise<BulkInserter | undefined> | undefined;
  let inserter: { bulk: BulkInserter | undefined } | undefined;
  return {
    manager: queryRunner.manager,
    faker,
    nextSequence(target) {
      const next = (sequences.get(target) ?? 0) + 1;
      sequences.set(target, next);
      return next;
    },
    instantiate<T>(target: FactoryTarget<T>): T {
      return metadataOf(target).create(queryRunner) as T;
    },
    saveTarget(target) {
      return metadataOf(target).target as FactoryTarget<unknown> | string;
    },
    prepareInsert(target) {
      const entity = metadataOf(target);
      opening ??= BulkInserter.open(getDialect(dialect), dataSource, queryRunner);
      // Only a head start: a failure to open shows again, awaited, in insertMany.
      opening.then((bulk) => bulk?.prepare(entity)).catch(() => undefined);
    },
    async insertMany(target, entities) {
      const entity = metadataOf(target);
      if (!inserter) {
        opening ??= BulkInserter.open(getDialect(dialect), dataSource, queryRunner);
        inserter = { bulk: await opening };
      }
      return inserter.bulk ? inserter.bulk.insert(entity, entities) : [...entities];
    },
  };
}

/** Runs `options.seeder` in one transaction; returns each seeder that ran, in order. */
export async function runSeeders(dataSource: DataSource, options: SeedRunOptions): Promise<SeederTiming[]> {
  // Every file is found and loaded before the transaction starts.
  const exportedFactories = loadFactoryFiles(options.seedsDir);
  const rootFile = findSeederFile(options.seedsDir, options.seeder);
  const rootRun = loadSeeder(rootFile);

  const faker = await createFaker(options.fakerSeed);
  const queryRunner = dataSource.createQueryRunner();
  const runtime = factoryRuntime(dataSource, queryRunner, faker, options.dialect);
  const started = new Set<string>();
  const timings: SeederTiming[] = [];

  const runSeeder = async (file: string, run: SeederFunction): Promise<void> => {
    started.add(file);
    const name = seederName(file);
    options.log(`Seeding: ${name}`);
    const t0 = performance.now();
    const timing: SeederTiming = { name, file, ms: 0 };
    timings.push(timing);
    try {
      await run(context);
    } catch (err) {
      throw seederFailure(file, err);
    }
    timing.ms = performance.now() - t0;
    options.log(`Seeded:  ${name} (${timing.ms.toFixed(0)} ms)`);
  };

  const context: SeedContext = {
    dataSource,
    manager: queryRunner.manager,
    faker,
    factory<T>(target: FactoryTarget<T>) {
      const definition = (exportedFactories.get(target) as FactoryDefinition<T> | undefined) ?? registeredFactory(target);
      if (!definition) {
        throw new UserError(
          `no factory defined for ${targetName(target)}: add \`defineFactory(${targetName(target)}, (faker) => ({ … }))\` to a file in ${options.seedsDir}/factories/`,
        );
      }
      return new FactoryBuilder<T>(definition, runtime);
    },
    async call(seeders) {
      for (const name of typeof seeders === "string" ? [seeders] : seeders) {
        const file = findSeederFile(options.seedsDir, name);
        if (started.has(file)) continue;
        await runSeeder(file, loadSeeder(file));
      }
    },
    log: options.log,
  };

  await queryRunner.connect();
  try {
    await queryRunner.startTransaction();
    try {
      await runSeeder(rootFile, rootRun);
      // A constraint checked at commit (deferred foreign keys) fails here: still this run's seeder.
      await queryRunner.commitTransaction().catch((err: unknown) => {
        throw seederFailure(rootFile, err);
      });
    } catch (err) {
      if (queryRunner.isTransactionActive) await queryRunner.rollbackTransaction().catch(() => undefined);
      throw err;
    }
  } finally {
    await queryRunner.release();
  }
  options.log("Database seeding completed successfully.");
  return timings;
}
