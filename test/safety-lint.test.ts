/**
 * Issue 7.6: findings in the file and on the CLI, and `autogen lint [range]` over
 * existing revisions with the PostgreSQL rules of squawk / strong_migrations, each
 * silenceable per op with `// autogen-lint-ignore <rule>` above it. The rules run on
 * ops alone (unit), and through the CLI on real revision files.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lintOps } from "../src/lint/rules.js";
import type { Op } from "../src/ops/ops.js";
import type { SchemaIR } from "../src/schema/ir.js";
import { pgAvailable } from "./helpers/databases.js";
import { createSafetyProject, type SafetyProject } from "./helpers/safety.js";
import { postgresLint } from "../src/dialects/postgres/lint.js";

const PG = await pgAvailable();

const USERS: SchemaIR = {
  dialect: "postgres",
  tables: [
    {
      name: "users",
      columns: [
        { name: "id", type: "integer", nullable: false },
        { name: "name", type: "varchar", length: 50, nullable: true },
        { name: "age", type: "integer", nullable: true },
      ],
      foreignKeys: [],
      uniques: [],
      indexes: [],
      checks: [],
    },
  ],
  enums: [],
};

describe("lint rules", () => {
  const rules = (ops: Op[], locking = true, direction: "upgrade" | "downgrade" = "upgrade", upgradeOps?: Op[]) =>
    lintOps(ops, { before: USERS, direction, ...(locking ? { database: postgresLint } : {}), ...(upgradeOps ? { upgradeOps } : {}) }).map(
      (f) => `${f.opIndex} ${f.rule}`,
    );

  it("flags each risky op on an existing table", () => {
    expect(
      rules([
        { kind: "createIndex", table: "users", index: { name: "IDX_name", columns: ["name"], unique: false } },
        {
          kind: "createForeignKey",
          table: "users",
          foreignKey: {
            name: "FK_x",
            columns: ["age"],
            referencedTable: "users",
            referencedColumns: ["id"],
            onDelete: "NO ACTION",
            onUpdate: "NO ACTION",
          },
        },
        { kind: "createCheck", table: "users", check: { name: "CHK_age", expression: "age > 0" } },
        { kind: "alterColumn", table: "users", column: "age", changes: { type: { from: { type: "integer" }, to: { type: "bigint" } } } },
        { kind: "renameColumn", table: "users", from: "name", to: "full_name" },
        { kind: "addColumn", table: "users", column: { name: "token", type: "uuid", nullable: true, default: "gen_random_uuid()" } },
        { kind: "addColumn", table: "users", column: { name: "email", type: "varchar", nullable: false } },
      ]),
    ).toEqual([
      "0 index-not-concurrent",
      "1 foreign-key-not-valid",
      "2 check-not-valid",
      "3 type-change-rewrite",
      "4 rename-breaks-code",
      "5 volatile-default",
      "6 not-null-without-default",
    ]);
  });

  it("is quiet where the op is safe", () => {
    expect(
      rules([
        { kind: "createIndex", table: "users", index: { name: "IDX_name", columns: ["name"], unique: false }, concurrently: true },
        {
          kind: "alterColumn",
          table: "users",
          column: "name",
          changes: { type: { from: { type: "varchar", length: 50 }, to: { type: "varchar", length: 100 } } },
        },
        { kind: "addColumn", table: "users", column: { name: "email", type: "varchar", nullable: false, default: "''" } },
        { kind: "addColumn", table: "users", column: { name: "created", type: "timestamp", nullable: true, default: "now()" } },
        {
          kind: "createTable",
          table: {
            name: "posts",
            columns: [{ name: "id", type: "integer", nullable: false }],
            foreignKeys: [],
            uniques: [],
            indexes: [],
            checks: [],
          },
        },
        { kind: "createIndex", table: "posts", index: { name: "IDX_posts", columns: ["id"], unique: false } },
      ]),
    ).toEqual([]);
  });

  it("locking rules only where the dialect locks like PostgreSQL; the others everywhere", () => {
    expect(
      rules(
        [
          { kind: "createIndex", table: "users", index: { name: "IDX_name", columns: ["name"], unique: false } },
          { kind: "addColumn", table: "users", column: { name: "email", type: "varchar", nullable: false } },
        ],
        false,
      ),
    ).toEqual(["1 not-null-without-default"]);
  });

  it("a downgrade that recreates what the upgrade dropped: data is not restored", () => {
    const dropped: Op = { kind: "dropColumn", table: "users", column: { name: "age", type: "integer", nullable: true } };
    const back: Op = { kind: "addColumn", table: "users", column: { name: "age", type: "integer", nullable: true } };
    const out = lintOps([back], { before: USERS, direction: "downgrade", database: postgresLint, upgradeOps: [dropped] });
    expect(out.map((f) => f.rule)).toEqual(["data-not-restored"]);
    expect(out[0]!.message).toContain("the data is not restored");
  });
});

describe.skipIf(!PG)("lint on the CLI and in generated files (PostgreSQL)", () => {
  let project: SafetyProject;
  const users = (extra: string) => `
import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
@Entity("users")
${extra.includes("@Index") ? '@Index("IDX_users_name", ["name"])' : ""}
export class User {
  @PrimaryGeneratedColumn()
  id!: number;
  @Column({ type: "varchar", length: 50 })
  name!: string;
  ${extra.includes("age") ? "" : '@Column({ type: "integer", nullable: true })\n  age!: number | null;'}
  ${extra.includes("email") ? '@Column({ type: "varchar", length: 100 })\n  email!: string;' : ""}
}
`;
  beforeAll(async () => {
    project = await createSafetyProject("postgres");
    project.entity("user", users(""));
    expect((await project.cli(["revision", "--autogenerate", "-m", "users", "--rev-id", "r1"])).status).toBe(0);
    expect((await project.cli(["upgrade", "head"])).status).toBe(0);
  });
  afterAll(async () => project?.remove());

  it("autogenerate writes the findings next to the ops and prints them", async () => {
    project.entity("user", users("@Index email -age"));
    const gen = await project.cli(["revision", "--autogenerate", "-m", "risky", "--rev-id", "r2", "--drop", "users.age"]);
    expect(gen.status).toBe(0);
    // What was detected, one line per op, then each finding under the half of the file it is in.
    expect(gen.stdout).toContain("Detected added index 'IDX_users_name' on 'users' (name)");
    expect(gen.stdout).toContain("Detected added column 'users.email'");
    expect(gen.stdout).toContain("Detected removed column 'users.age'");
    expect(gen.stdout).toContain("  upgrade: lint index-not-concurrent: ");
    expect(gen.stdout).toContain("  upgrade: lint not-null-without-default: ");
    expect(gen.stdout).toContain("  downgrade: lint data-not-restored: ");
    expect(gen.stdout).not.toContain("lint: lint");
    // The count covers the downgrade's notes too: each "autogen:" comment in the file.
    const count = Number(/Review the (\d+) note\(s\)/.exec(gen.stdout)?.[1]);
    const marks = readFileSync(project.dir.file(`versions/${project.versionFiles().find((f) => f.startsWith("r2"))!}`), "utf8").match(
      /\/\/ autogen: /g,
    )!;
    expect(count).toBe(marks.length);
    const text = readFileSync(project.dir.file(`versions/${project.versionFiles().find((f) => f.startsWith("r2"))!}`), "utf8");
    expect(text).toMatch(/autogen: lint index-not-concurrent[\s\S]*?op\.createIndex\("IDX_users_name"/);
    expect(text).toMatch(/autogen: lint not-null-without-default[\s\S]*?op\.addColumn\("users", \{\s*name: "email"/);
    // The downgrade brings age back empty.
    const downgradeText = text.split("export function downgrade")[1]!;
    expect(downgradeText).toMatch(/lint data-not-restored[\s\S]*?op\.addColumn\("users", \{\s*name: "age"/);
    expect(downgradeText.replace(/\s*\/\/\s*/g, " ")).toContain("the data is not restored (column users.age)");
  });

  it("autogen lint prints them with file and line, exit 1; a silenced rule is not counted", async () => {
    const r = await project.cli(["lint"]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/r2_risky\.ts:\d+: upgrade: index-not-concurrent \(note\): /);
    expect(r.stdout).toMatch(/r2_risky\.ts:\d+: upgrade: not-null-without-default: /);
    expect(r.stdout).toMatch(/r2_risky\.ts:\d+: downgrade: data-not-restored \(note\): /);
    expect(r.stdout).toContain("1 lint finding(s) to fix, 2 note(s) to review");
    expect(r.stdout).not.toContain("r1_users.ts");

    const file = project.dir.file(`versions/${project.versionFiles().find((f) => f.startsWith("r2"))!}`);
    // The one unsafe finding silenced, the notes pass by default and fail with --strict.
    const original = readFileSync(file, "utf8");
    writeFileSync(
      file,
      original.replace(/(\n\s*)(op\.addColumn\("users", \{\s*name: "email")/, "$1// autogen-lint-ignore not-null-without-default$1$2"),
    );
    const notesOnly = await project.cli(["lint", "r1:r2"]);
    expect(notesOnly.stdout).toContain("No unsafe lint findings; 2 note(s) to review (--strict: fail on them too).");
    expect(notesOnly.status).toBe(0);
    expect((await project.cli(["lint", "r1:r2", "--strict"])).status).toBe(1);
    writeFileSync(file, original);
    const silenced = readFileSync(file, "utf8")
      .replace(/(\n\s*)(op\.createIndex\("IDX_users_name")/, "$1// autogen-lint-ignore index-not-concurrent$1$2")
      .replace(/(\n\s*)(op\.addColumn\("users", \{\s*name: "email")/, "$1// autogen-lint-ignore not-null-without-default$1$2")
      .replace(/(\n\s*)(op\.addColumn\("users", \{\s*name: "age")/, "$1// autogen-lint-ignore data-not-restored$1$2");
    writeFileSync(file, silenced);
    const quiet = await project.cli(["lint", "r1:r2"]);
    expect(quiet.stdout).toContain("No lint findings.");
    expect(quiet.status).toBe(0);
    expect((await project.cli(["lint", "r1:r2", "-v"])).stdout).toContain("(silenced)");
  });
});
