/**
 * Revision checksums (the migration log's edit detection) are kept in the cache only
 * for revision files whose text alone decides what they record: a file importing a
 * helper module is checksummed afresh every time, so an edit to the helper is seen.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { revisionChecksum } from "../src/revisions/checksum.js";
import { loadRevisionScripts } from "../src/revisions/scripts.js";
import { createTempDir, type TempDir } from "./helpers/databases.js";

const selfContained = (table: string) => `import type { Operations } from "autogen";
export const revision = "a1";
export const downRevision = null;
export function upgrade(op: Operations): void {
  op.createTable("${table}", { columns: [{ name: "id", type: "integer", nullable: false }] });
}
export function downgrade(op: Operations): void {
  op.dropTable("${table}");
}
`;

const usingHelper = `import type { Operations } from "autogen";
import { tableName } from "../helpers/names";
export const revision = "b2";
export const downRevision = null;
export function upgrade(op: Operations): void {
  op.createTable(tableName, { columns: [{ name: "id", type: "integer", nullable: false }] });
}
export function downgrade(op: Operations): void {
  op.dropTable(tableName);
}
`;

describe("revision checksum cache", () => {
  let tmp: TempDir;
  afterEach(() => tmp?.remove());

  function project(): { versions: string; cached: () => string[] } {
    tmp = createTempDir();
    writeFileSync(tmp.file("package.json"), JSON.stringify({ name: "p", private: true }));
    const versions = tmp.file("versions");
    mkdirSync(versions);
    const dir = tmp.file("node_modules/.cache/autogen/checksums");
    return { versions, cached: () => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".txt")) : []) };
  }

  async function checksumOf(versions: string): Promise<string> {
    const [script] = loadRevisionScripts([versions]);
    return revisionChecksum(script!, "sqlite");
  }

  it("keeps a self-contained revision's checksum, and a changed file gets a new one", async () => {
    const { versions, cached } = project();
    writeFileSync(path.join(versions, "a1_init.ts"), selfContained("users"));
    const first = await checksumOf(versions);
    expect(cached()).toHaveLength(1);
    expect(await checksumOf(versions)).toBe(first);
    writeFileSync(path.join(versions, "a1_init.ts"), selfContained("people"));
    const edited = await checksumOf(versions);
    expect(edited).not.toBe(first);
    expect(cached()).toHaveLength(2);
  });

  it("never keeps the checksum of a revision that imports a helper, so the helper's edits count", async () => {
    const { versions, cached } = project();
    mkdirSync(tmp.file("helpers"));
    writeFileSync(tmp.file("helpers/names.ts"), `export const tableName = "users";\n`);
    writeFileSync(path.join(versions, "b2_helper.ts"), usingHelper);
    const first = await checksumOf(versions);
    expect(cached()).toEqual([]);
    writeFileSync(tmp.file("helpers/names.ts"), `export const tableName = "people";\n`);
    expect(await checksumOf(versions)).not.toBe(first);
  });
});
