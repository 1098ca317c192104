/**
 * The index autogen puts in front of TypeORM's decorator storage while it builds
 * metadata (src/models/indexed-storage.ts) must give exactly what TypeORM's own scans
 * give: same records, same order, for one target and for an inheritance tree of
 * targets, duplicates resolved as TypeORM resolves them. Checked on TypeORM's real
 * MetadataArgsStorage class with records in an interleaved order.
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { fastInheritance, indexStorage } from "../src/models/indexed-storage.js";

const require = createRequire(import.meta.url);
const { MetadataArgsStorage } = require("typeorm/metadata-args/MetadataArgsStorage.js") as {
  MetadataArgsStorage: new () => Record<string, unknown>;
};
const { MetadataUtils } = require("typeorm/metadata-builder/MetadataUtils.js") as {
  MetadataUtils: { isInherited(a: unknown, b: unknown): boolean };
};

class Base {}
class Child extends Base {}
class Other {}
class Lonely {}

function filledStorage(): Record<string, unknown> {
  const storage = new MetadataArgsStorage();
  const targets = [Base, Child, Other, "schema-entity"];
  let n = 0;
  for (let round = 0; round < 3; round++) {
    for (const target of targets) {
      (storage.columns as unknown[]).push({ target, propertyName: `p${round % 2}`, mode: "regular", options: { n: n++ } });
      (storage.relations as unknown[]).push({
        target,
        propertyName: `r${round % 2}`,
        relationType: "many-to-one",
        type: () => Other,
        n: n++,
      });
      (storage.indices as unknown[]).push({ target, name: `i${n++}`, columns: [] });
      (storage.uniques as unknown[]).push({ target, name: `u${n++}`, columns: [] });
      (storage.joinColumns as unknown[]).push({ target, propertyName: `r${round % 2}`, name: `j${n++}` });
      (storage.embeddeds as unknown[]).push({ target, propertyName: `e${round % 2}`, prefix: round === 2 ? "x" : undefined, n: n++ });
      (storage.tables as unknown[]).push({ target, name: `t${n++}`, type: "regular" });
    }
  }
  return storage;
}

const LOOKUPS: Array<[string, unknown[]]> = [
  ["filterTables", []],
  ["filterColumns", []],
  ["filterRelations", []],
  ["filterIndices", []],
  ["filterUniques", []],
  ["filterEmbeddeds", []],
  ["filterJoinColumns", ["r1"]],
  ["findJoinTable", ["r0"]],
];
const TARGETS: unknown[] = [Base, Child, "schema-entity", Lonely, [Child, Base], [Base, Child, Other], []];

describe("indexed decorator storage", () => {
  it("answers every lookup exactly as TypeORM's scans do", () => {
    const plain = filledStorage();
    const indexed = filledStorage();
    // Same records (by identity of their content) in both.
    const restore = indexStorage(indexed);
    for (const [name, rest] of LOOKUPS) {
      for (const target of TARGETS) {
        const method = (s: Record<string, unknown>) => (s[name] as (...a: unknown[]) => unknown).call(s, target, ...rest);
        expect(JSON.stringify(method(indexed)), `${name}(${String(target)})`).toBe(JSON.stringify(method(plain)));
      }
    }
    // Records added after indexing are seen.
    (indexed.columns as unknown[]).push({ target: Lonely, propertyName: "late", mode: "regular", options: {} });
    expect((indexed.filterColumns as (t: unknown) => unknown[]).call(indexed, Lonely)).toHaveLength(1);
    restore();
    expect(Object.prototype.hasOwnProperty.call(indexed, "filterColumns")).toBe(false);
  });

  it("isInherited answers as instanceof does, then is restored", () => {
    const original = MetadataUtils.isInherited;
    const restore = fastInheritance(MetadataUtils, [Base, Child, Other]);
    try {
      expect(MetadataUtils.isInherited).not.toBe(original);
      for (const a of [Base, Child, Other, Lonely]) {
        for (const b of [Base, Child, Other, Lonely]) {
          expect(MetadataUtils.isInherited(a, b), `${a.name} from ${b.name}`).toBe(a.prototype instanceof b);
        }
      }
    } finally {
      restore();
    }
    expect(MetadataUtils.isInherited).toBe(original);
  });
});
