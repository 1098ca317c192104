/**
 * A dialect's per-kind code as a map from op kind to function, looked up in one place.
 * Every core kind must have an entry (a missing one is a compile error); a kind only some
 * database has is optional, and one the map lacks is the dispatcher's `otherwise`.
 */
import { refuseOtherDatabaseOp } from "../ops/registry.js";
import type { CoreOp, DatabaseOp, Op } from "../ops/ops.js";

/** One function per kind of `O`, each given its own op type. */
export type ByKind<O extends { kind: string }, R, Ctx extends unknown[] = []> = {
  [K in O["kind"]]: (op: Extract<O, { kind: K }>, ...ctx: Ctx) => R;
};

/** Every core kind required, database kinds optional (a database registers its own). */
export type OpMap<R, Ctx extends unknown[] = []> = ByKind<CoreOp, R, Ctx> & Partial<ByKind<DatabaseOp, R, Ctx>>;

/** The op's entry in `map`, or `otherwise` when the map has none for its kind. */
export function dispatchByKind<O extends { kind: string }, R, Ctx extends unknown[]>(
  map: Partial<ByKind<O, R, Ctx>>,
  otherwise: (op: O, ...ctx: Ctx) => R,
): (op: O, ...ctx: Ctx) => R {
  const entries = map as Partial<Record<string, (op: O, ...ctx: Ctx) => R>>;
  return (op, ...ctx) => {
    // Own keys only: a forged kind such as "toString" must not reach Object.prototype.
    const entry = Object.hasOwn(entries, op.kind) ? entries[op.kind] : undefined;
    return entry ? entry(op, ...ctx) : otherwise(op, ...ctx);
  };
}

/** A renderer from its map: kinds `database` did not register get the one shared refusal. */
export function renderByKind<Ctx extends unknown[]>(database: string, renderers: OpMap<string[], Ctx>): (op: Op, ...ctx: Ctx) => string[] {
  return dispatchByKind<Op, string[], Ctx>(renderers, (...[op]) => refuseOtherDatabaseOp(op, database));
}
