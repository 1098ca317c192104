/**
 * TypeORM's metadata builder is quadratic in the number of entities: for every entity
 * it scans every decorator record of every entity (`MetadataArgsStorage.filterColumns`
 * and its siblings filter whole arrays by `target`), and for every pair of entities it
 * asks `MetadataUtils.isInherited`. At 5,000 entities that is most of a minute — the
 * largest part of `revision --autogenerate` and of TypeORM's own startup.
 *
 * While autogen builds the metadata, the storage's lookups are answered from an index
 * by target: each lookup method runs unchanged, but on a view of the storage whose
 * arrays hold only the records of the targets asked for, in their original order —
 * so every result is exactly what the full scan returns. Only methods that select
 * records by `record.target` matching the argument are indexed (an explicit list);
 * anything else runs as TypeORM wrote it. `isInherited(child, parent)` answers false at
 * once for a parent no entity inherits from, and asks the prototype chain otherwise.
 * Everything is restored when the build ends.
 */

type Target = unknown;
interface TargetRecord {
  target?: Target;
}
type Storage = Record<string, unknown>;
type Lookup = (this: Storage, target: Target, ...rest: unknown[]) => unknown;

/** Lookups whose first argument is the target (or targets) and which keep only records of those targets. */
const BY_TARGET = [
  "filterTables",
  "filterColumns",
  "findGenerated",
  "findTree",
  "filterRelations",
  "filterRelationIds",
  "filterRelationCounts",
  "filterIndices",
  "filterForeignKeys",
  "filterUniques",
  "filterChecks",
  "filterExclusions",
  "filterListeners",
  "filterEmbeddeds",
  "findJoinTable",
  "filterJoinColumns",
  "findInheritanceType",
  "findDiscriminatorValue",
] as const;

interface ArrayIndex {
  length: number;
  byTarget: Map<Target, TargetRecord[]>;
  /** Every element is a record with a target (arrays of anything else are left whole). */
  narrowable: boolean;
  position: Map<TargetRecord, number>;
}

function indexOf(records: TargetRecord[], cache: WeakMap<object, ArrayIndex>): ArrayIndex {
  const known = cache.get(records);
  // Records are only ever appended; a longer array is indexed again.
  if (known && known.length === records.length) return known;
  const byTarget = new Map<Target, TargetRecord[]>();
  let narrowable = true;
  const position = new Map<TargetRecord, number>();
  for (const record of records) {
    position.set(record, position.size);
    if (record === null || typeof record !== "object" || !("target" in record)) narrowable = false;
    const list = byTarget.get(record?.target);
    if (list) list.push(record);
    else byTarget.set(record?.target, [record]);
  }
  const index = { length: records.length, byTarget, narrowable, position };
  cache.set(records, index);
  return index;
}

/** The records of `records` whose target is one of `targets`, in their original order. */
function recordsOf(records: TargetRecord[], targets: Target, cache: WeakMap<object, ArrayIndex>): TargetRecord[] {
  const { byTarget, position } = indexOf(records, cache);
  if (!Array.isArray(targets)) return byTarget.get(targets) ?? [];
  const picked: TargetRecord[] = [];
  for (const t of new Set(targets)) for (const r of byTarget.get(t) ?? []) picked.push(r);
  return picked.length < 2 ? picked : picked.sort((a, b) => (position.get(a) as number) - (position.get(b) as number));
}

/** Puts the index in front of `storage`'s lookups; returns what restores them. */
export function indexStorage(storage: Storage): () => void {
  const cache = new WeakMap<object, ArrayIndex>();
  const restore: Array<() => void> = [];
  const arrays = Object.keys(storage).filter((k) => Array.isArray(storage[k]));
  for (const name of BY_TARGET) {
    const original = storage[name];
    if (typeof original !== "function") continue;
    const lookup = original as Lookup;
    const hadOwn = Object.prototype.hasOwnProperty.call(storage, name);
    const indexed: Lookup = function (this: Storage, target: Target, ...rest: unknown[]) {
      const view = Object.create(this) as Storage;
      for (const key of arrays) {
        const records = this[key] as TargetRecord[];
        if (Array.isArray(records) && indexOf(records, cache).narrowable) view[key] = recordsOf(records, target, cache);
      }
      return lookup.call(view, target, ...rest);
    };
    storage[name] = indexed;
    restore.push(() => {
      if (hadOwn) storage[name] = original;
      else delete storage[name];
    });
  }
  return () => restore.forEach((r) => r());
}

interface MetadataUtilsClass {
  isInherited(child: unknown, parent: unknown): boolean;
}

/**
 * Makes `isInherited` answer at once for a known target and a parent whose prototype is
 * in no target's prototype chain (what `instanceof` walks); returns what restores it.
 */
export function fastInheritance(utils: MetadataUtilsClass, targets: readonly unknown[]): () => void {
  const original = Object.getOwnPropertyDescriptor(utils, "isInherited");
  const isInherited = utils.isInherited.bind(utils);
  const known = new Set<unknown>(targets.filter((t) => typeof t === "function"));
  const inherited = new Set<unknown>();
  for (const target of known) {
    let proto: unknown = Object.getPrototypeOf((target as { prototype: unknown }).prototype);
    while (proto !== null && proto !== undefined) {
      inherited.add(proto);
      proto = Object.getPrototypeOf(proto);
    }
  }
  utils.isInherited = (child: unknown, parent: unknown) =>
    known.has(child) && typeof parent === "function" && !inherited.has((parent as { prototype: unknown }).prototype)
      ? false
      : isInherited(child, parent);
  return () => {
    if (original) Object.defineProperty(utils, "isInherited", original);
  };
}
