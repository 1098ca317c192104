/**
 * `--online` on SQLite (issue 18): one writer at a time, so there is no lock-safe form to
 * write; the revision is the plain one, with a note saying so, and it applies as usual.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { check, revision, upgrade } from "../src/api/index.js";
import { createTempDir, sqliteUrl, type TempDir } from "./helpers/databases.js";

const entity = (withIndex: boolean) => `import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
@Entity("events")
${withIndex ? '@Index("IDX_events_kind", ["kind"])' : ""}
export class Event {
  @PrimaryGeneratedColumn()
  id!: number;
  @Column({ type: "varchar", length: 20 })
  kind!: string;
}
`;

describe("online revisions on SQLite", () => {
  let tmp: TempDir;
  let config = "";
  beforeAll(async () => {
    tmp = createTempDir("autogen-online-sqlite-");
    mkdirSync(path.join(tmp.dir, "entities"));
    config = path.join(tmp.dir, "autogen.config.json");
    writeFileSync(config, JSON.stringify({ url: sqliteUrl(tmp), entities: ["entities/*.ts"] }));
    writeFileSync(path.join(tmp.dir, "entities", "e.ts"), entity(false));
    await revision({ config, message: "events", autogenerate: true, revId: "s0" });
    await upgrade({ config, target: "head" });
  }, 60_000);
  afterAll(() => tmp.remove());

  it("writes the plain revision with a note, and it applies", async () => {
    writeFileSync(path.join(tmp.dir, "entities", "e.ts"), entity(true));
    const result = await revision({ config, message: "index", autogenerate: true, online: true, revId: "s1" });
    if (!result.written) throw new Error("no revision");
    const file = readFileSync(result.path, "utf8");
    expect(file).not.toContain("export const online");
    expect(file).toMatch(
      /online: SQLite has no online form of these changes; this is a plain revision \(SQLite has[\s/*]*one writer at a time/,
    );
    expect(file).toMatch(/op\.createIndex\("IDX_events_kind", "events", \["kind"\]\);/);
    await upgrade({ config, target: "head" });
    expect((await check({ config })).ok).toBe(true);
  }, 60_000);
});
