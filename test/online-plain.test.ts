/**
 * `--online` on a database without online support (issue 18; Dialect.online absent, as on
 * SQLite, which has one writer at a time): there is no lock-safe form to write; the
 * revision is the plain one, with a note saying so and why (capabilities.noOnlineForm),
 * and it applies as usual.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { check, revision, upgrade } from "../src/api/index.js";
import { getDialect } from "../src/dialects/index.js";
import { createTempDir, DATABASE_KINDS, type TempDir } from "./helpers/databases.js";

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

for (const kind of DATABASE_KINDS.filter((k) => getDialect(k.dialect).online === undefined)) {
  const dialect = getDialect(kind.dialect);
  // The note's reason, as the revision file's comment wraps it.
  const reason = (dialect.capabilities.noOnlineForm ?? "each change runs as autogenerate writes it")
    .split(" ")
    .slice(0, 5)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join("[\\s/*]+");
  describe.skipIf(!(await kind.available()))(`online revisions on ${dialect.title}`, () => {
    let tmp: TempDir;
    let db: { url: string; cleanup(): Promise<void> };
    let config = "";
    beforeAll(async () => {
      tmp = createTempDir("autogen-online-plain-");
      db = await kind.create("autogen_online_plain");
      mkdirSync(path.join(tmp.dir, "entities"));
      config = path.join(tmp.dir, "autogen.config.json");
      writeFileSync(config, JSON.stringify({ url: db.url, entities: ["entities/*.ts"] }));
      writeFileSync(path.join(tmp.dir, "entities", "e.ts"), entity(false));
      await revision({ config, message: "events", autogenerate: true, revId: "s0" });
      await upgrade({ config, target: "head" });
    }, 60_000);
    afterAll(async () => {
      tmp?.remove();
      await db?.cleanup();
    });

    it("writes the plain revision with a note, and it applies", async () => {
      writeFileSync(path.join(tmp.dir, "entities", "e.ts"), entity(true));
      const result = await revision({ config, message: "index", autogenerate: true, online: true, revId: "s1" });
      if (!result.written) throw new Error("no revision");
      const file = readFileSync(result.path, "utf8");
      expect(file).not.toContain("export const online");
      expect(file).toMatch(
        new RegExp(`online: ${dialect.title} has no online form of these changes; this is a plain revision \\(${reason}`),
      );
      expect(file).toMatch(/op\.createIndex\("IDX_events_kind", "events", \["kind"\]\);/);
      await upgrade({ config, target: "head" });
      expect((await check({ config })).ok).toBe(true);
    }, 60_000);
  });
}
