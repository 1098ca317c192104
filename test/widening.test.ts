/**
 * Base-type changes: the differ flags every one as destructive unless the dialect says
 * it keeps every value; each dialect's rule, table-driven.
 */
import { describe, expect, it } from "vitest";
import { getDialect } from "../src/dialects/index.js";
import { diffSchemas } from "../src/diff/index.js";
import type { ColumnTypeIR, SchemaIR } from "../src/schema/ir.js";

const t = (type: string, extra: Partial<ColumnTypeIR> = {}): ColumnTypeIR => ({ type, ...extra });

describe("PostgreSQL widens", () => {
  const { widens } = getDialect("postgres");
  it.each<[ColumnTypeIR, ColumnTypeIR, boolean]>([
    [t("integer"), t("bigint"), true],
    [t("smallint"), t("integer"), true],
    [t("bigint"), t("integer"), false],
    [t("integer"), t("numeric"), true],
    [t("integer"), t("numeric", { precision: 5 }), false],
    [t("real"), t("double precision"), true],
    [t("double precision"), t("real"), false],
    [t("varchar", { length: 20 }), t("text"), true],
    [t("integer"), t("text"), true],
    [t("integer"), t("varchar", { length: 5 }), false],
    [t("char", { length: 3 }), t("text"), false],
    [t("text"), t("integer"), false],
    [t("integer", { array: true }), t("bigint"), false],
    [t("date"), t("timestamp"), true],
  ])("%j -> %j: %s", (from, to, expected) => {
    expect(widens(from, to)).toBe(expected);
  });
});

describe("SQLite widens", () => {
  const { widens } = getDialect("sqlite");
  it.each<[string, string, boolean]>([
    ["integer", "bigint", true],
    ["varchar", "text", true],
    ["integer", "text", true],
    ["text", "integer", false],
    ["real", "integer", false],
    ["integer", "numeric", true],
    ["integer", "real", false],
    ["datetime", "varchar", true],
  ])("%s -> %s: %s", (from, to, expected) => {
    expect(widens(t(from), t(to))).toBe(expected);
  });
});

describe("differ and base-type changes", () => {
  const schema = (type: string): SchemaIR => ({
    dialect: "postgres",
    enums: [],
    tables: [
      {
        name: "items",
        columns: [{ name: "qty", type, nullable: false }],
        foreignKeys: [],
        uniques: [],
        indexes: [],
        checks: [],
      },
    ],
  });

  it("flags a base-type change as destructive when nothing says it widens", () => {
    const { ops, findings } = diffSchemas(schema("integer"), schema("text"));
    expect(ops.map((o) => o.kind)).toEqual(["alterColumn"]);
    expect(findings).toEqual([
      expect.objectContaining({
        kind: "destructive",
        opIndex: 0,
        message: expect.stringMatching(/^Converts items\.qty from text to integer/),
      }),
    ]);
  });

  it("stays quiet when the dialect says the change keeps every value", () => {
    const { findings } = diffSchemas(schema("bigint"), schema("integer"), { widens: getDialect("postgres").widens });
    expect(findings).toEqual([]);
    const narrowing = diffSchemas(schema("integer"), schema("bigint"), { widens: getDialect("postgres").widens });
    expect(narrowing.findings.map((f) => f.kind)).toEqual(["destructive"]);
  });
});
