/**
 * Which revisions' code may run outside an apply (revisions/purity.ts), and the checksum
 * each kind gets (revisions/checksum.ts): recorded ops for pure files (every generated
 * one; logs from before keep matching), the text for files with side effects.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { compareChecksum, revisionChecksum, SOURCE_CHECKSUM_PREFIX } from "../src/revisions/checksum.js";
import { purityOfText } from "../src/revisions/purity.js";
import { loadRevisionScripts } from "../src/revisions/scripts.js";
import { createTempDir, type TempDir } from "./helpers/databases.js";

const head = `export const revision = "a1";\nexport const downRevision = null;\n`;

describe("revision purity", () => {
  it.each([
    [
      "a generated revision",
      `import type { Operations } from "autogen";\n${head}export function upgrade(op: Operations) { op.createTable("t", { columns: [] }); }`,
      {},
    ],
    ["type-only braces", `import { type Operations } from "autogen";\n${head}export function upgrade(op: Operations) {}`, {}],
    [
      "a word in a comment or string",
      `${head}// console.log(process.env)\nexport function upgrade(op: any) { op.execute("SELECT 'process'"); }`,
      {},
    ],
    ["op.query", `${head}export async function upgrade(op: any) { await op.query("SELECT 1"); }`, { readsRows: true }],
    [
      "a runtime import",
      `import { appendFileSync } from "node:fs";\n${head}export function upgrade(op: any) {}`,
      { sideEffects: 'imports "node:fs" at run time' },
    ],
    [
      "a helper import",
      `import { name } from "../helpers/names";\n${head}export function upgrade(op: any) {}`,
      { sideEffects: 'imports "../helpers/names" at run time' },
    ],
    [
      "a dynamic import",
      `${head}export async function upgrade(op: any) { await import("node:fs"); }`,
      { sideEffects: 'imports "node:fs" at run time' },
    ],
    ["process", `${head}export function upgrade(op: any) { if (process.env.X) op.execute("x"); }`, { sideEffects: "uses process" }],
    ["console", `${head}export function upgrade(op: any) { console.log("hi"); }`, { sideEffects: "uses console" }],
    [
      "a template literal's expression",
      `${head}export function upgrade(op: any) { op.execute(\`SELECT \${globalThis.x}\`); }`,
      { sideEffects: "uses globalThis" },
    ],
  ])("%s", (_name, text, expected) => {
    expect(purityOfText(text)).toEqual({ readsRows: false, ...expected });
  });
});

describe("checksum kinds", () => {
  let tmp: TempDir;
  afterEach(() => tmp?.remove());

  it("a side-effecting revision gets its text's checksum, helpers included; a recorded one from before is unverifiable, not run", async () => {
    tmp = createTempDir();
    writeFileSync(tmp.file("package.json"), JSON.stringify({ name: "p", private: true }));
    mkdirSync(tmp.file("versions"));
    mkdirSync(tmp.file("helpers"));
    writeFileSync(tmp.file("helpers/names.ts"), `export const tableName = "users";\n`);
    const counter = tmp.file("ran.txt");
    const file = path.join(tmp.file("versions"), "a1_data.ts");
    writeFileSync(
      file,
      `import { appendFileSync } from "node:fs";\nimport { tableName } from "../helpers/names";\n${head}` +
        `export function upgrade(op: any) { appendFileSync(${JSON.stringify(counter)}, "x"); op.execute("DELETE FROM " + tableName); }\n` +
        `export function downgrade(op: any) { appendFileSync(${JSON.stringify(counter)}, "x"); }\n`,
    );
    const [script] = loadRevisionScripts([tmp.file("versions")]);
    const first = await revisionChecksum(script!, "sqlite");
    expect(first.startsWith(SOURCE_CHECKSUM_PREFIX)).toBe(true);
    expect(first).toHaveLength(64);
    expect(await compareChecksum(script!, "sqlite", first)).toMatchObject({ verdict: "same" });
    writeFileSync(tmp.file("helpers/names.ts"), `export const tableName = "people";\n`);
    expect(await compareChecksum(script!, "sqlite", first)).toMatchObject({ verdict: "changed" });
    expect(await compareChecksum(script!, "sqlite", "a".repeat(64))).toMatchObject({ verdict: "unverifiable" });
    // None of it ran the revision's code.
    expect(existsSync(counter)).toBe(false);
  });
});

describe("revision purity of compiled files", () => {
  it("a generated revision compiled to CommonJS is pure (exports plumbing is no side effect)", () => {
    const text = `"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\nexports.downRevision = exports.revision = void 0;\nexports.upgrade = upgrade;\nexports.revision = "a1";\nexports.downRevision = null;\nfunction upgrade(op) { op.createTable("t", { columns: [] }); }\n`;
    expect(purityOfText(text)).toEqual({ readsRows: false });
  });
});
