/**
 * The writer's fast path (src/codegen/layout.ts) must print op calls byte for byte as
 * prettier does: compared here with prettier itself over generated ops of every kind,
 * with names and strings of many lengths (so every line-breaking rule is crossed), under
 * several prettier configurations. And the writer must scale: rendering a large revision
 * runs prettier only over the small frame of the file (counted, not timed).
 */
import * as prettier from "prettier";
import { describe, expect, it } from "vitest";
import { createTableOps, syntheticSchema } from "../src/bench/synthetic-schema.js";
import { renderRevision } from "../src/codegen/index.js";
import { formatStats } from "../src/codegen/format.js";
import { layoutStatement, layoutSupported, type LayoutOptions } from "../src/codegen/layout.js";
import { renderOpCall } from "../src/codegen/opCalls.js";
import { getDialect } from "../src/dialects/index.js";
import type { Op } from "../src/ops/ops.js";
import { reverseOps } from "../src/ops/reverse.js";
import type { ColumnIR, TableIR } from "../src/schema/ir.js";

/** A small deterministic generator (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generator(seed: number) {
  const r = random(seed);
  const int = (n: number) => Math.floor(r() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const name = () => {
    const length = pick([1, 2, 4, 8, 12, 20, 30, 45, 63]);
    let s = "";
    for (let i = 0; i < length; i++) s += pick(["a", "b", "c", "_", "x", "1", "Q"]);
    return /^[0-9]/.test(s) ? `n${s}` : s;
  };
  const sql = () =>
    pick([
      "now()",
      "'draft'",
      "''",
      `'it''s'`,
      `"quoted" IS NOT NULL`,
      `'a"b' || 'c'`,
      `length(${name()}) > ${int(1000)}`,
      `${name()} IN ('x', 'y', "z")`,
      "\\d+ backslash \\ text",
      `(${name()} >= 0) AND (${name()} <= ${int(99999)}) AND ${name()} <> 'something quite long here'`,
    ]);
  const column = (): ColumnIR => {
    const c: ColumnIR = {
      name: name(),
      type: pick(["integer", "varchar", "text", "numeric", "timestamp", "uuid", "jsonb"]),
      nullable: r() < 0.5,
    };
    if (r() < 0.3) c.length = pick([1, 50, 255, 4000]);
    if (r() < 0.2) {
      c.precision = int(20);
      c.scale = int(5);
    }
    if (r() < 0.3) c.default = sql();
    if (r() < 0.15) c.comment = `${name()} ${name()} "note" it's`;
    if (r() < 0.1) c.array = true;
    if (r() < 0.1) {
      c.type = "enum";
      c.enumName = `${name()}_enum`;
      c.enumValues = Array.from({ length: 1 + int(6) }, name);
    }
    if (r() < 0.1) c.generated = pick(["increment", "identity"] as const);
    return c;
  };
  const table = (): TableIR => {
    const columns = Array.from({ length: 1 + int(5) }, column);
    const t: TableIR = { name: name(), columns, foreignKeys: [], uniques: [], indexes: [], checks: [] };
    if (r() < 0.7) t.primaryKey = { ...(r() < 0.7 ? { name: `PK_${name()}` } : {}), columns: [columns[0]!.name] };
    if (r() < 0.5)
      t.foreignKeys.push({
        name: `FK_${name()}`,
        columns: [columns[0]!.name],
        referencedTable: name(),
        referencedColumns: [name()],
        onDelete: pick(["CASCADE", "NO ACTION", "SET NULL"] as const),
        onUpdate: "NO ACTION",
      });
    if (r() < 0.4) t.uniques.push({ name: `UQ_${name()}`, columns: columns.slice(0, 1 + int(2)).map((c) => c.name) });
    if (r() < 0.4)
      t.indexes.push({ name: `IDX_${name()}`, columns: [columns[0]!.name], unique: r() < 0.3, ...(r() < 0.3 ? { where: sql() } : {}) });
    if (r() < 0.3) t.checks.push({ name: `CHK_${name()}`, expression: sql() });
    if (r() < 0.1) t.comment = `${name()} table`;
    return t;
  };
  const op = (): Op => {
    const t = table();
    switch (int(14)) {
      case 0:
        return { kind: "createTable", table: t };
      case 1:
        return { kind: "dropTable", table: t };
      case 2:
        return { kind: "addColumn", table: name(), column: column() };
      case 3:
        return { kind: "dropColumn", table: name(), column: column() };
      case 4:
        return { kind: "renameColumn", table: name(), from: name(), to: name() };
      case 5: {
        const from = column();
        const to = column();
        return {
          kind: "alterColumn",
          table: name(),
          column: name(),
          changes: {
            ...(r() < 0.6
              ? { type: { from: { type: from.type, ...(from.length ? { length: from.length } : {}) }, to: { type: to.type } } }
              : {}),
            ...(r() < 0.5 ? { nullable: { from: true, to: false } } : {}),
            ...(r() < 0.5 ? { default: { from: null, to: sql() } } : {}),
          },
        };
      }
      case 6:
        return {
          kind: "createIndex",
          table: name(),
          index: {
            name: name(),
            columns: [name(), name()].slice(0, 1 + int(2)),
            unique: r() < 0.5,
            ...(r() < 0.3 ? { where: sql() } : {}),
          },
        };
      case 7:
        return {
          kind: "createForeignKey",
          table: name(),
          foreignKey: {
            ...t.foreignKeys[0],
            name: name(),
            columns: [name()],
            referencedTable: name(),
            referencedColumns: [name()],
            onDelete: pick(["CASCADE", "NO ACTION"] as const),
            onUpdate: "NO ACTION",
          },
        };
      case 8:
        return { kind: "createUnique", table: name(), unique: { ...(r() < 0.5 ? { name: name() } : {}), columns: [name(), name()] } };
      case 9:
        return { kind: "createCheck", table: name(), check: { name: name(), expression: sql() } };
      case 10:
        return { kind: "createEnum", enum: { name: name(), values: Array.from({ length: int(8) }, name) } };
      case 11:
        return { kind: "alterEnum", name: name(), values: { from: [name(), name()], to: [name(), name(), name()] } };
      case 12:
        return { kind: "execute", sql: `UPDATE ${name()} SET ${name()} = ${sql()}`, ...(r() < 0.5 ? { reverseSql: sql() } : {}) };
      default:
        return { kind: "renameTable", from: name(), to: name() };
    }
  };
  return { op };
}

const CONFIGS: Record<string, prettier.Options> = {
  defaults: {},
  "single quotes, 4 spaces, width 100": { singleQuote: true, tabWidth: 4, printWidth: 100 },
  "width 40": { printWidth: 40 },
  "no trailing commas, no bracket spacing": { trailingComma: "none", bracketSpacing: false },
  "es5 commas, width 120": { trailingComma: "es5", printWidth: 120 },
};

async function prettierBody(statement: string, options: prettier.Options): Promise<string> {
  const text = await prettier.format(`function f(op: Operations): void {\n${statement}\n}\n`, { ...options, parser: "typescript" });
  return text.split("\n").slice(1, -2).join("\n");
}

describe("op calls laid out without prettier match prettier", () => {
  for (const [label, config] of Object.entries(CONFIGS)) {
    it(`prints 300 generated op calls as prettier does (${label})`, async () => {
      const layout = layoutSupported({ ...config, parser: "typescript" }) as LayoutOptions;
      expect(layout).toBeDefined();
      const { op } = generator(label.length * 7919);
      let checked = 0;
      for (let i = 0; i < 300; i++) {
        const statement = renderOpCall(op());
        const ours = layoutStatement(statement, layout.tabWidth, layout);
        expect(ours, statement).toBeDefined();
        expect(ours).toBe(await prettierBody(statement, config));
        checked += 1;
      }
      expect(checked).toBe(300);
    });
  }

  it("declines what it does not model: multi-line SQL, non-ASCII text, options it does not know", () => {
    const layout = layoutSupported({ parser: "typescript" })!;
    expect(layoutStatement(renderOpCall({ kind: "execute", sql: "UPDATE t\nSET a = 1" }), 2, layout)).toBeUndefined();
    expect(layoutStatement(renderOpCall({ kind: "renameTable", from: "café", to: "cafe" }), 2, layout)).toBeUndefined();
    expect(layoutSupported({ parser: "typescript", useTabs: true })).toBeUndefined();
    expect(layoutSupported({ parser: "typescript", semi: false })).toBeUndefined();
    expect(layoutSupported({ parser: "typescript", plugins: ["prettier-plugin-x"] })).toBeUndefined();
  });
});

describe("the writer scales", () => {
  it("renders a 400-table revision with prettier formatting only the frame, and the same text as prettier over the whole file", async () => {
    const pg = getDialect("postgres");
    const upgradeOps = createTableOps(syntheticSchema(pg, 400));
    const input = {
      revision: "0123456789ab",
      downRevision: null,
      message: "create 400 tables",
      createdAt: new Date("2026-01-01T00:00:00Z"),
      upgradeOps,
      downgradeOps: reverseOps(upgradeOps),
    };
    formatStats.reset();
    const text = await renderRevision(input);
    // prettier saw the header, the exports and one placeholder per body: a few hundred bytes.
    expect(formatStats.calls).toBe(1);
    expect(formatStats.bytes).toBeLessThan(2000);
    expect(text.length).toBeGreaterThan(400 * 500);
    expect(text).toBe(await prettier.format(text, { parser: "typescript" }));
  });
});
