/** Laravel-style seeding for TypeORM projects: seeders, factories and the transaction they run in. */
export type { SeedContext } from "./context.js";
export { connectDataSource } from "./datasource.js";
export {
  defineFactory,
  FactoryBuilder,
  type Attributes,
  type Definition,
  type DefinitionInfo,
  type EntityClass,
  type FactoryDefinition,
  type FactoryTarget,
  type State,
  type StateInfo,
} from "./factory.js";
export { assertSeedsDir, DEFAULT_SEEDER, findSeederFile } from "./files.js";
export { runSeeders, SEEDED_REFERENCE_DATE, type SeederTiming, type SeedRunOptions } from "./run.js";
