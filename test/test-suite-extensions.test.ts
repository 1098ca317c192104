/**
 * `autogen test` on PostgreSQL revisions that create extensions (uuid keys, pgcrypto,
 * citext, hstore): the scratch database is made anew after "upgrade base to head", so
 * the stairway starts from a really empty database and each revision's downgrade is
 * judged against what was there before it, not against extensions a wipe left behind.
 */
import { cpSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { revision, testMigrations } from "../src/api/index.js";
import { createPgDatabase, createTempDir, pgAvailable, type TempDir, type TestPgDatabase } from "./helpers/databases.js";
import { MODELS_EXAMPLE_DIR } from "./helpers/project.js";

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });
const PG = await pgAvailable();

const ENTITY = `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

@Entity({ name: "accounts" })
export class Account {
  @PrimaryGeneratedColumn("uuid")
  id!: string;

  @Column({ type: "varchar", length: 80 })
  name!: string;
}
`;

describe.skipIf(!PG)("autogen test with PostgreSQL extensions", () => {
  let tmp: TempDir;
  let db: TestPgDatabase;
  let config: string;
  beforeAll(async () => {
    tmp = createTempDir("autogen-test-ext-");
    db = await createPgDatabase("autogen_test_ext");
    cpSync(`${MODELS_EXAMPLE_DIR}/tsconfig.json`, tmp.file("tsconfig.json"));
    writeFileSync(tmp.file("account.entity.ts"), ENTITY);
    config = tmp.file("autogen.config.json");
    writeFileSync(config, JSON.stringify({ url: db.url, entities: ["*.entity.ts"], versionsDir: "versions" }));
    const first = await revision({ config, message: "accounts", autogenerate: true });
    if (!first.written) throw new Error("expected a revision");
    // The uuid key's default needs uuid-ossp (TypeORM's uuid_generate_v4()).
    expect(first.ops.map((o) => o.kind)).toContain("createExtension");
    writeFileSync(
      tmp.file("versions/e0000002_extensions.ts"),
      `export const revision = "e0000002";
export const downRevision = ${JSON.stringify(first.revision)};
export const message = "extensions";
export async function upgrade(op: any) {
  op.createExtension("pgcrypto");
  op.createExtension("citext");
  op.createExtension("hstore");
}
export async function downgrade(op: any) {
  op.dropExtension("hstore");
  op.dropExtension("citext");
  op.dropExtension("pgcrypto");
}
`,
    );
  });
  afterAll(async () => {
    await db?.drop();
    tmp?.remove();
  });

  it("passes every check: no extension survives into the stairway", async () => {
    const result = await testMigrations({ config });
    expect(result.checks.filter((c) => c.status === "failed")).toEqual([]);
    expect(result.passed).toBe(true);
  });
});
