/**
 * Laravel-style model factories for TypeORM entities.
 *
 * A factory file declares how a fake row of an entity looks:
 *
 *   export const UserFactory = defineFactory(User, (faker, { sequence }) => ({
 *     email: `user${sequence}@example.com`,
 *     displayName: faker.person.fullName(),
 *   }));
 *
 * and a seeder builds rows from it: `factory(User).count(10).create()`.
 *
 * A seed run takes the definitions its factory files export. Definitions made anywhere
 * else (a file a seeder imports) are found in a registry keyed by the entity class. It
 * is process-wide (on `globalThis`), because the user's files import `defineFactory`
 * from the `autogen` package, which need not be the module instance running the seed
 * (a test runner may load autogen's sources while the user's files get its build).
 * Exports come first because a cached module does not run `defineFactory` again: after
 * another project registered a factory for the same class in this process, only the
 * exports still say which definition belongs to this seeds directory.
 */
import type { Faker } from "@faker-js/faker";
import type { EntityManager, EntitySchema } from "typeorm";
import { UserError, errorMessage } from "../errors.js";

/** An entity class; constructor parameters are the user's business, hence `any`. */
export type EntityClass<T> = new (...args: any[]) => T;

/** What a factory is defined for: an entity class, or an EntitySchema object. */
export type FactoryTarget<T> = EntityClass<T> | EntitySchema<T>;

/** Column and relation values of an entity; any subset. */
export type Attributes<T> = { [K in keyof T]?: T[K] };

export interface DefinitionInfo {
  /** 1, 2, 3, … per entity across one seed run: for unique values such as e-mails. */
  sequence: number;
  /** Position of the row in the current `count(n)` batch, from 0. */
  index: number;
}

export interface StateInfo<T> extends DefinitionInfo {
  /** The attributes so far: the definition with the earlier states applied. */
  attributes: Attributes<T>;
}

export type Definition<T> = (faker: Faker, info: DefinitionInfo) => Attributes<T> | Promise<Attributes<T>>;

/** Attributes laid over the definition: fixed values, or computed per row. */
export type State<T> = Attributes<T> | ((faker: Faker, info: StateInfo<T>) => Attributes<T> | Promise<Attributes<T>>);

/** Marks what `defineFactory` returns; a registered symbol, so any copy of autogen recognises it. */
const FACTORY_BRAND = Symbol.for("autogen.seed.factory");

export interface FactoryDefinition<T> {
  readonly target: FactoryTarget<T>;
  readonly definition: Definition<T>;
  readonly [FACTORY_BRAND]: true;
}

export function isFactoryDefinition(value: unknown): value is FactoryDefinition<unknown> {
  return value !== null && typeof value === "object" && (value as Record<symbol, unknown>)[FACTORY_BRAND] === true;
}

const REGISTRY_KEY = Symbol.for("autogen.seed.factories");

function registry(): Map<unknown, FactoryDefinition<unknown>> {
  const global = globalThis as Record<symbol, unknown>;
  let map = global[REGISTRY_KEY] as Map<unknown, FactoryDefinition<unknown>> | undefined;
  if (!map) {
    map = new Map();
    global[REGISTRY_KEY] = map;
  }
  return map;
}

/** A readable name for an entity class or schema, for messages. */
export function targetName(target: unknown): string {
  if (typeof target === "function" && target.name) return target.name;
  const schemaName = (target as { options?: { name?: unknown } } | null)?.options?.name;
  if (typeof schemaName === "string") return schemaName;
  return String(target);
}

/**
 * Declares the factory for an entity; the last definition for a class wins, so a
 * factory file that is edited and loaded again replaces its old definition.
 */
export function defineFactory<T>(target: FactoryTarget<T>, definition: Definition<T>): FactoryDefinition<T> {
  if (target === null || (typeof target !== "function" && typeof target !== "object")) {
    throw new UserError(`defineFactory: the first argument must be an entity class, got ${String(target)}`);
  }
  if (typeof definition !== "function") {
    throw new UserError(
      `defineFactory(${targetName(target)}, …): the second argument must be a function (faker, { sequence }) => attributes`,
    );
  }
  const entry: FactoryDefinition<T> = Object.freeze({ target, definition, [FACTORY_BRAND]: true as const });
  registry().set(target, entry as FactoryDefinition<unknown>);
  return entry;
}

/** The last definition registered for `target` by any module loaded so far. */
export function registeredFactory<T>(target: FactoryTarget<T>): FactoryDefinition<T> | undefined {
  return registry().get(target) as FactoryDefinition<T> | undefined;
}

/** What a factory needs from the seed run it builds rows for. */
export interface FactoryRuntime {
  manager: EntityManager;
  faker: Faker;
  /** The next sequence number for this target in this run. */
  nextSequence(target: unknown): number;
  /** A new, empty instance of the entity (TypeORM's own way: `metadata.create()`). */
  instantiate<T>(target: FactoryTarget<T>): T;
  /** What to pass to `manager.save` for this entity. */
  saveTarget(target: unknown): FactoryTarget<unknown> | string;
  /**
   * Writes the rows that need nothing of save()'s lifecycle in multi-row inserts
   * (./bulk-insert.ts); returns the rest, for save().
   */
  insertMany(target: unknown, entities: readonly object[]): Promise<object[]>;
  /** Called before the first row of a `create()` is built: the writer may read the table's column types meanwhile. */
  prepareInsert(target: unknown): void;
}

/** Rows are saved in slices, so a large `count` stays under the drivers' bound-parameter limits. */
const SAVE_CHUNK = 100;

/**
 * Rows `create()` builds before handing them to the database: while one batch is being
 * written (by the server, on another core), the next is being built.
 */
const CREATE_BATCH = 2000;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && typeof value === "object" && typeof (value as { then?: unknown }).then === "function";
}

/**
 * An immutable factory call chain, as Laravel's: `count` and `state` return new
 * builders. `R` is one entity, or an array once `count` was given.
 */
export class FactoryBuilder<T, R = T> {
  constructor(
    private readonly factory: FactoryDefinition<T>,
    private readonly runtime: FactoryRuntime,
    private readonly amount: number | undefined = undefined,
    private readonly states: readonly State<T>[] = [],
  ) {}

  /** Build `n` rows; `make`/`create` then return an array. */
  count(n: number): FactoryBuilder<T, T[]> {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new UserError(`factory(${targetName(this.factory.target)}).count(${String(n)}): expected a whole number ≥ 0`);
    }
    return new FactoryBuilder<T, T[]>(this.factory, this.runtime, n, this.states);
  }

  /** Attributes laid over the definition (later states win), fixed or computed per row. */
  state(state: State<T>): FactoryBuilder<T, R> {
    return new FactoryBuilder<T, R>(this.factory, this.runtime, this.amount, [...this.states, state]);
  }

  /** Entities with their attributes set, not saved. */
  async make(overrides: Attributes<T> = {}): Promise<R> {
    return this.shape(await this.build(0, this.amount ?? 1, overrides));
  }

  /** Entities saved through the seed's transaction, with their generated ids. */
  async create(overrides: Attributes<T> = {}): Promise<R> {
    const { target } = this.factory;
    const total = this.amount ?? 1;
    const entities: T[] = [];
    const rest: T[] = [];
    // At most one batch in flight; its failure is kept (never an unhandled rejection) and thrown before the next.
    let writing: Promise<void> | undefined;
    let failure: { error: unknown } | undefined;
    const settle = async () => {
      await writing;
      writing = undefined;
      if (failure) throw failure.error;
    };
    if (total > 0) this.runtime.prepareInsert(target);
    try {
      for (let from = 0; from < total; from += CREATE_BATCH) {
        const batch = await this.build(from, Math.min(total, from + CREATE_BATCH), overrides);
        await settle();
        writing = this.runtime.insertMany(target, batch as object[]).then(
          (left) => {
            for (const entity of left) rest.push(entity as T);
          },
          (error: unknown) => {
            failure = { error };
          },
        );
        for (const entity of batch) entities.push(entity);
        // Building runs without a tick when the definition is synchronous: let the write's
        // own promise steps run first, so its statement is on the wire while the next batch is built.
        if (from + CREATE_BATCH < total) await new Promise<void>((resolve) => setImmediate(resolve));
      }
      await settle();
    } finally {
      // A definition that threw while a batch was being written: let that statement finish before the rollback.
      await writing;
    }
    const saveTarget = this.runtime.saveTarget(target);
    for (let at = 0; at < rest.length; at += SAVE_CHUNK) {
      await this.runtime.manager.save(saveTarget as EntityClass<T>, rest.slice(at, at + SAVE_CHUNK) as never[]);
    }
    return this.shape(entities);
  }

  private shape(entities: T[]): R {
    return (this.amount === undefined ? entities[0] : entities) as R;
  }

  /** Rows `from` … `to - 1` of this call; a definition or state that returns a promise is awaited, others run without a tick. */
  private async build(from: number, to: number, overrides: Attributes<T>): Promise<T[]> {
    const { faker } = this.runtime;
    const { target, definition } = this.factory;
    const entities: T[] = [];
    for (let index = from; index < to; index++) {
      const sequence = this.runtime.nextSequence(target);
      let attributes = this.evaluate(definition, faker, { sequence, index }, "definition");
      if (isThenable(attributes)) attributes = await attributes;
      for (const state of this.states) {
        let extra: Attributes<T> | Promise<Attributes<T>> = state as Attributes<T>;
        if (typeof state === "function") {
          extra = this.evaluate(state, faker, { sequence, index, attributes }, "state");
          if (isThenable(extra)) extra = await extra;
        }
        attributes = { ...attributes, ...extra };
      }
      entities.push(Object.assign(this.runtime.instantiate(target) as object, attributes, overrides) as T);
    }
    return entities;
  }

  private evaluate<I>(
    fn: (faker: Faker, info: I) => Attributes<T> | Promise<Attributes<T>>,
    faker: Faker,
    info: I,
    what: string,
  ): Attributes<T> | Promise<Attributes<T>> {
    let result: unknown;
    try {
      result = fn(faker, info);
    } catch (err) {
      throw this.threw(what, err);
    }
    if (isThenable(result)) {
      return Promise.resolve(result).then(
        (value) => this.checked(value, what),
        (err: unknown) => {
          throw this.threw(what, err);
        },
      );
    }
    return this.checked(result, what);
  }

  private threw(what: string, err: unknown): Error {
    return Object.assign(new Error(`factory(${targetName(this.factory.target)}) ${what} threw: ${errorMessage(err)}`), { cause: err });
  }

  private checked(result: unknown, what: string): Attributes<T> {
    if (result === null || typeof result !== "object" || Array.isArray(result)) {
      throw new UserError(
        `factory(${targetName(this.factory.target)}) ${what} must return an object of attributes, got ${Array.isArray(result) ? "an array" : String(result)}`,
      );
    }
    return result as Attributes<T>;
  }
}
