/**
 * What a seeder's `run(ctx)` receives. Seeder files import the type:
 *
 *   import type { SeedContext } from "autogen";
 *   export default async function run({ factory, manager }: SeedContext) { … }
 */
import type { Faker } from "@faker-js/faker";
import type { DataSource, EntityManager } from "typeorm";
import type { FactoryBuilder, FactoryTarget } from "./factory.js";

export interface SeedContext {
  /**
   * A connected TypeORM DataSource with the project's entities, for metadata and
   * reads. Write through `manager` (or `factory`): on PostgreSQL the DataSource's own
   * queries run on another pooled connection, outside the seed's transaction.
   */
  dataSource: DataSource;
  /** The EntityManager of the seed's one transaction: what it writes is rolled back if any seeder throws. */
  manager: EntityManager;
  /** Faker, seeded by `--faker-seed N` for reproducible data. */
  faker: Faker;
  /** The factory defined for an entity: `factory(User).count(10).create()`. */
  factory<T>(target: FactoryTarget<T>): FactoryBuilder<T>;
  /** Runs other seeders from the seeds directory by name; each runs at most once per seed run. */
  call(seeders: string | readonly string[]): Promise<void>;
  /** Prints a line (the CLI's output). */
  log(line: string): void;
}
