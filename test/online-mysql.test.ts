/**
 * Online revisions on MySQL/MariaDB (issue 18): the same ops as a plain revision, each
 * ALTER asking for ALGORITHM=INPLACE, LOCK=NONE where InnoDB can do it while writes go
 * on; a change it can only make by copying the table (a type change, a foreign key) is
 * kept, with a note naming gh-ost and pt-online-schema-change; the revision applies and
 * the result matches the models.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { check, revision, upgrade } from "../src/api/index.js";
import { createMysqlDatabase, createTempDir, mysqlAvailable, type TempDir } from "./helpers/databases.js";

const MYSQL = await mysqlAvailable();

const entities = (after: boolean) => `import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

@Entity("events")
${after ? '@Index("IDX_events_account_kind", ["accountId", "kind"])' : ""}
export class Event {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: "int" })
  accountId!: number;

  @Column({ type: "varchar", length: 20, nullable: ${after ? "false" : "true"} })
  kind!: string | null;

  @Column({ type: "${after ? "bigint" : "int"}", default: 0 })
  score!: number;
${after ? '\n  @Column({ type: "boolean", default: false })\n  flagged!: boolean;\n' : ""}}
`;

describe.skipIf(!MYSQL)("online revisions on MySQL/MariaDB", () => {
  let db: { url: string; drop(): Promise<void> } | undefined;
  let tmp: TempDir | undefined;
  let config = "";
  let file = "";
  beforeAll(async () => {
    db = await createMysqlDatabase("autogen_online");
    tmp = createTempDir("autogen-online-mysql-");
    mkdirSync(path.join(tmp.dir, "entities"));
    config = path.join(tmp.dir, "autogen.config.json");
    writeFileSync(config, JSON.stringify({ url: db.url, entities: ["entities/*.ts"], online: true }));
    writeFileSync(path.join(tmp.dir, "entities", "events.ts"), entities(false));
    await revision({ config, message: "events", autogenerate: true, online: false, revId: "m0" });
    await upgrade({ config, target: "head" });
    writeFileSync(path.join(tmp.dir, "entities", "events.ts"), entities(true));
    // `"online": true` in the config, as a project that always wants it says it.
    const result = await revision({ config, message: "changes", autogenerate: true, revId: "m1" });
    if (!result.written) throw new Error("no revision");
    file = readFileSync(result.path, "utf8");
  }, 120_000);
  afterAll(async () => {
    await db?.drop();
    tmp?.remove();
  });

  it("keeps the ops, and names gh-ost / pt-online-schema-change where InnoDB copies the table", () => {
    expect(file).toContain("export const online = true;");
    expect(file).toMatch(
      /not online on MySQL\/MariaDB: changing events\.score's type copies the table[\s\S]*?gh-ost or[\s/]*pt-online-schema-change[\s\S]*?op\.alterColumn\("events", "score"/,
    );
    expect(file).toMatch(/op\.createIndex\("IDX_events_account_kind"/);
  });

  it("asks for ALGORITHM=INPLACE, LOCK=NONE where the server can, in --sql", async () => {
    const { sql } = (await upgrade({ config, target: "m0:m1", sql: true })) as { sql: string };
    expect(sql).toMatch(/CREATE INDEX `IDX_events_account_kind` ON `events` \(`accountId`, `kind`\) ALGORITHM=INPLACE LOCK=NONE;/);
    expect(sql).toMatch(/ALTER TABLE `events` ADD COLUMN `flagged` .*, ALGORITHM=INPLACE, LOCK=NONE;/);
    expect(sql).toMatch(/MODIFY COLUMN `kind` varchar\(20\) NOT NULL.*, ALGORITHM=INPLACE, LOCK=NONE;/);
    // The type change copies the table: no clause the server would refuse.
    expect(sql).toMatch(/MODIFY COLUMN `score` bigint NOT NULL DEFAULT 0;/);
  });

  it("applies, and the database matches the models", async () => {
    await upgrade({ config, target: "head" });
    const result = await check({ config });
    expect(result.ops).toEqual([]);
    expect(result.ok).toBe(true);
  }, 120_000);
});
