/**
 * TypeORM's `uuid` columns on MySQL/MariaDB. TypeORM's `mariadb` driver uses the server's
 * own `uuid` type from MariaDB 10.7 on, its `mysql` driver (and any driver without a
 * server version) writes varchar: 36 for a generated key, 255 for a plain column.
 * autogen follows the server it is connected to, and the generic dialect (no connection)
 * writes what TypeORM writes offline.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { check, revision, upgrade, Workspace } from "../src/api/index.js";
import { getDialect } from "../src/dialects/index.js";
import { readModels } from "../src/models/index.js";
import { createMysqlDatabase, mysqlAvailable } from "./helpers/databases.js";
import { createProject, REPO_ROOT, type TestProject } from "./helpers/project.js";
import { typeormPendingQueries } from "./helpers/typeorm-oracle.js";

const MYSQL = await mysqlAvailable();
const mysql = getDialect("mysql");
const entities = path.join(REPO_ROOT, "fixtures/entities/mysql-uuid/*.ts");

describe("uuid without a server (generic MySQL dialect)", () => {
  it("is varchar(36) for a generated key and varchar(255) for a plain column, as TypeORM's mysql driver writes them", async () => {
    const models = mysql.normalizeSchema(await readModels({ dialect: "mysql", baseDir: REPO_ROOT, entities: [entities] }));
    const columns = models.tables[0]!.columns;
    expect(columns).toEqual([
      { name: "id", type: "varchar", length: 36, nullable: false },
      { name: "owner", type: "varchar", length: 255, nullable: true },
      { name: "label", type: "varchar", length: 36, nullable: false },
    ]);
    const [sql] = mysql.renderOp({ kind: "createTable", table: models.tables[0]! }, { dialect: "mysql", tables: [], enums: [] });
    expect(sql).toContain("`id` varchar(36) NOT NULL, `owner` varchar(255) NULL");
  });

  it("offline, revisions naming uuid without a length (made on MariaDB 10.7+) have the models compared as uuid; varchar ones as varchar", async () => {
    const raw = await readModels({ dialect: "mysql", baseDir: REPO_ROOT, entities: [entities] });
    const replayed = (type: string, length?: number) => ({
      ...raw,
      tables: [{ ...raw.tables[0]!, columns: [{ name: "id", type, ...(length ? { length } : {}), nullable: false }] }],
    });
    const typeOf = (replay: ReturnType<typeof replayed>) =>
      mysql.forReplayedSchema!(replay)
        .normalizeSchema(raw)
        .tables[0]!.columns.map((c) => [c.type, c.length]);
    expect(typeOf(replayed("uuid"))).toEqual([
      ["uuid", undefined],
      ["uuid", undefined],
      ["varchar", 36],
    ]);
    expect(typeOf(replayed("varchar", 36))).toEqual([
      ["varchar", 36],
      ["varchar", 255],
      ["varchar", 36],
    ]);
  });
});

describe.skipIf(!MYSQL)("uuid on the MariaDB server", () => {
  let db: Awaited<ReturnType<typeof createMysqlDatabase>>;
  let project: TestProject;
  beforeAll(async () => {
    db = await createMysqlDatabase("autogen_uuid");
    project = createProject({ url: db.url, entities: [entities] });
  });
  afterAll(async () => {
    project?.remove();
    await db?.drop();
  });

  it("MariaDB 10.7+: the server's uuid type for both; TypeORM (mariadb driver) has nothing to do; a second autogenerate is empty", async () => {
    const ws = new Workspace({ config: project.config });
    const version = await ws.withConnection(async (c) => (await c.query<{ v: string }>("SELECT VERSION() AS v"))[0]!.v);
    const [major = 0, minor = 0] = version.split(".").map(Number);
    const native = /mariadb/i.test(version) && (major > 10 || (major === 10 && minor >= 7));
    expect(await revision({ config: project.config, message: "tokens", autogenerate: true })).toMatchObject({ written: true });
    await upgrade({ config: project.config, target: "head" });
    const types = await ws.withConnection((c) =>
      c.query<{ n: string; t: string }>(
        "SELECT COLUMN_NAME AS n, COLUMN_TYPE AS t FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'tokens' ORDER BY ORDINAL_POSITION",
      ),
    );
    expect(types).toEqual(
      native
        ? [
            { n: "id", t: "uuid" },
            { n: "owner", t: "uuid" },
            { n: "label", t: "varchar(36)" },
          ]
        : [
            { n: "id", t: "varchar(36)" },
            { n: "owner", t: "varchar(255)" },
            { n: "label", t: "varchar(36)" },
          ],
    );
    if (native) expect(await typeormPendingQueries("mysql", db.url, [entities])).toEqual([]);
    expect((await revision({ config: project.config, message: "again", autogenerate: true })).written).toBe(false);
    // Rows go in and come back as the strings TypeORM hands over.
    await ws.withConnection((c) =>
      c.query("INSERT INTO tokens (id, owner, label) VALUES ('0b0e7f1c-3b5a-4a8e-9f10-2c3d4e5f6a7b', NULL, 'x')"),
    );
    expect(await ws.withConnection((c) => c.query("SELECT id FROM tokens"))).toEqual([{ id: "0b0e7f1c-3b5a-4a8e-9f10-2c3d4e5f6a7b" }]);
  });

  it("check --offline replays the revision made on this server to what the models say (no uuid drift)", async () => {
    const offline = await check({ config: project.config, offline: true });
    expect(offline.ops).toEqual([]);
    expect(offline.ok).toBe(true);
  });
});
