/**
 * Golden revision files: test/golden/*.ts are reviewed like code and compared
 * byte-for-byte with what the writer renders for fixed inputs. After an intended change
 * in the output, regenerate them with `UPDATE_GOLDEN=1 npx vitest run test/codegen.golden.test.ts`
 * and review the diff. Every golden must also typecheck against the Operations API.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Project, ts } from "ts-morph";
import { afterAll, describe, expect, it } from "vitest";
import { readDefaultTemplate, recordedForm, renderFromTemplate, renderRevision, type RevisionFileInput } from "../src/codegen/index.js";
import type { Op, Operations } from "../src/ops/ops.js";
import { OpRecorder } from "../src/ops/recorder.js";
import { reverseOps } from "../src/ops/reverse.js";
import type { ColumnIR, TableIR } from "../src/schema/ir.js";
import { createTempDir } from "./helpers/databases.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const GOLDEN_DIR = path.join(ROOT, "test", "golden");
const OPS_MODULE = path.join(ROOT, "src", "ops", "ops.ts");
const UPDATE = process.env.UPDATE_GOLDEN === "1";

const CREATED_AT = new Date("2026-11-24T10:00:00Z");

// ---- fixed inputs --------------------------------------------------------------------

const id: ColumnIR = { name: "id", type: "integer", nullable: false, generated: "increment" };

const users: TableIR = {
  name: "users",
  columns: [
    id,
    { name: "email", type: "varchar", length: 255, nullable: false },
    { name: "display_name", type: "varchar", length: 100, nullable: true },
    { name: "created_at", type: "timestamp", nullable: false, default: "now()" },
  ],
  primaryKey: { name: "PK_a3ffb1c0c8416b9fc6f907b7433", columns: ["id"] },
  foreignKeys: [],
  uniques: [{ name: "UQ_97672ac88f789774dd47f7c8be3", columns: ["email"] }],
  indexes: [],
  checks: [],
};

const posts: TableIR = {
  name: "posts",
  columns: [
    id,
    { name: "title", type: "varchar", length: 200, nullable: false },
    { name: "body", type: "text", nullable: false, default: "''" },
    {
      name: "status",
      type: "enum",
      enumName: "posts_status_enum",
      enumValues: ["draft", "published", "archived"],
      nullable: false,
      default: "'draft'",
    },
    { name: "tags", type: "text", array: true, nullable: true },
    { name: "price", type: "numeric", precision: 10, scale: 2, nullable: true },
    { name: "author_id", type: "integer", nullable: false },
  ],
  primaryKey: { name: "PK_2829ac61eff60fcec60d7274b9e", columns: ["id"] },
  foreignKeys: [
    {
      name: "FK_c5a322ad12a7bf95460c958e80e",
      columns: ["author_id"],
      referencedTable: "users",
      referencedColumns: ["id"],
      onDelete: "CASCADE",
      onUpdate: "NO ACTION",
    },
  ],
  uniques: [{ name: "UQ_posts_author_title", columns: ["author_id", "title"] }],
  indexes: [{ name: "IDX_posts_status", columns: ["status"], unique: false, where: "status <> 'archived'" }],
  checks: [{ name: "CHK_posts_price", expression: "price >= 0" }],
  comment: "Blog posts",
};

function revision(overrides: Partial<RevisionFileInput> & Pick<RevisionFileInput, "revision" | "message">): RevisionFileInput {
  const upgradeOps = overrides.upgradeOps ?? [];
  const downgradeOps = overrides.downgradeOps ?? reverseOps(upgradeOps);
  return { downRevision: null, createdAt: CREATED_AT, ...overrides, upgradeOps, downgradeOps };
}

const createTablesOps: Op[] = [
  { kind: "createEnum", enum: { name: "posts_status_enum", values: ["draft", "published", "archived"] } },
  { kind: "createTable", table: users },
  { kind: "createTable", table: posts },
  { kind: "createIndex", table: "posts", index: { name: "IDX_posts_author_id", columns: ["author_id"], unique: false } },
];

const addColumnOps: Op[] = [
  { kind: "addColumn", table: "users", column: { name: "role", type: "varchar", length: 50, nullable: true, default: "'member'" } },
  { kind: "createIndex", table: "users", index: { name: "IDX_users_role", columns: ["role"], unique: false } },
];

interface GoldenCase {
  name: string;
  input: RevisionFileInput;
  /** Writes a prettier configuration next to the revision and returns the path to resolve it from. */
  prettierConfig?: Record<string, unknown>;
}

const cases: GoldenCase[] = [
  {
    name: "create_tables",
    input: revision({ revision: "1a2b3c4d5e6f", message: "create users and posts", upgradeOps: createTablesOps }),
  },
  {
    name: "add_column_index",
    input: revision({
      revision: "3f9c2a1b7d4e",
      downRevision: "1a2b3c4d5e6f",
      message: "add role to users",
      upgradeOps: addColumnOps,
    }),
  },
  {
    name: "alter_column",
    input: revision({
      revision: "5d6e7f8a9b0c",
      downRevision: "3f9c2a1b7d4e",
      message: "widen posts.title",
      upgradeOps: [
        {
          kind: "alterColumn",
          table: "posts",
          column: "title",
          changes: { type: { from: { type: "varchar", length: 100 }, to: { type: "varchar", length: 150 } } },
        },
      ],
    }),
  },
  {
    name: "rename_candidate",
    input: revision({
      revision: "7a8b9c0d1e2f",
      downRevision: "5d6e7f8a9b0c",
      message: "posts: body becomes content",
      upgradeOps: [
        { kind: "dropColumn", table: "posts", column: { name: "body", type: "text", nullable: false, default: "''" } },
        { kind: "addColumn", table: "posts", column: { name: "content", type: "text", nullable: false, default: "''" } },
      ],
      findings: [
        {
          kind: "renameCandidate",
          opIndex: 0,
          table: "posts",
          column: "body",
          message:
            "possible rename posts.body -> posts.content (same type and nullability).\nGenerated as drop + add, which loses the data.",
          hint: "--rename posts.body=content",
        },
        {
          kind: "destructive",
          opIndex: 0,
          table: "posts",
          column: "body",
          message: "drops column posts.body and every value in it",
        },
        {
          kind: "unnamedConstraint",
          table: "legacy",
          message: "table legacy has a CHECK constraint without a name; it is left alone because it cannot be dropped by name",
        },
      ],
    }),
  },
  {
    name: "merge",
    input: revision({
      revision: "9e8d7c6b5a40",
      downRevision: ["7a8b9c0d1e2f", "b1c2d3e4f5a6"],
      dependsOn: ["c0ffee000001"],
      branchLabels: ["release"],
      message: "merge heads",
    }),
  },
  {
    name: "execute_reversible",
    input: revision({
      revision: "aa00bb11cc22",
      downRevision: "9e8d7c6b5a40",
      message: "backfill post status",
      upgradeOps: [
        {
          kind: "execute",
          sql: 'UPDATE "posts"\nSET "status" = \'published\'\nWHERE "body" <> \'\' AND "title" NOT LIKE \'%`draft`%\'',
          reverseSql: 'UPDATE "posts" SET "status" = \'draft\'',
        },
        { kind: "execute", sql: 'ANALYZE "posts"', reverseSql: "SELECT 1", dialect: "postgres" },
      ],
    }),
  },
  {
    name: "execute_irreversible",
    input: revision({
      revision: "dd33ee44ff55",
      downRevision: "aa00bb11cc22",
      message: "purge expired sessions",
      upgradeOps: [{ kind: "execute", sql: 'DELETE FROM "sessions" WHERE "expires_at" < now()' }],
      downgradeOps: { irreversible: 'op.execute("DELETE FROM \\"sessions\\" …") has no reverse SQL' },
      findings: [{ kind: "irreversible", opIndex: 0, message: "raw SQL without a reverse: deleted rows cannot be restored" }],
    }),
  },
  {
    name: "prettier_config",
    input: revision({
      revision: "3f9c2a1b7d4e",
      downRevision: "1a2b3c4d5e6f",
      message: "add role to users (single quotes, 4 spaces)",
      upgradeOps: addColumnOps,
    }),
    prettierConfig: { singleQuote: true, tabWidth: 4, printWidth: 100 },
  },
];

// ---- helpers ---------------------------------------------------------------------------

const tempDirs: ReturnType<typeof createTempDir>[] = [];
afterAll(() => tempDirs.forEach((d) => d.remove()));

function withPrettierConfig(c: GoldenCase): RevisionFileInput {
  if (!c.prettierConfig) return c.input;
  const dir = createTempDir("autogen-golden-");
  tempDirs.push(dir);
  writeFileSync(dir.file(".prettierrc.json"), JSON.stringify(c.prettierConfig));
  return { ...c.input, prettierConfigFrom: dir.file(`${c.input.revision}.ts`) };
}

function loadRevision(source: string): { upgrade: (op: Operations) => void; downgrade: (op: Operations) => void } {
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  const module = { exports: {} as Record<string, unknown> };
  new Function("module", "exports", "require", outputText)(module, module.exports, (name: string) => {
    throw new Error(`unexpected runtime import of ${name}`);
  });
  return module.exports as ReturnType<typeof loadRevision>;
}

function record(fn: (op: Operations) => void): Op[] {
  const recorder = new OpRecorder("postgres");
  fn(recorder);
  return recorder.ops;
}

/** Type errors of `files`, with "autogen" resolved to the Operations API in src/ops/ops.ts. */
function typeErrors(files: Record<string, string>): string[] {
  const project = new Project({
    compilerOptions: {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
      types: [],
      paths: { autogen: [OPS_MODULE] },
    },
    skipAddingFilesFromTsConfig: true,
  });
  for (const [file, text] of Object.entries(files)) project.createSourceFile(file, text, { overwrite: true });
  return project
    .getPreEmitDiagnostics()
    .map((d) => `${d.getSourceFile()?.getBaseName() ?? "?"}: ${ts.flattenDiagnosticMessageText(d.getMessageText() as string, "\n")}`);
}

// ---- tests -----------------------------------------------------------------------------

describe("golden revision files", () => {
  it.each(cases)("$name: matches its golden file", async (c) => {
    const name = c.name;
    const actual = await renderRevision(withPrettierConfig(c));
    const file = path.join(GOLDEN_DIR, `${name}.ts`);
    if (UPDATE) {
      writeFileSync(file, actual);
      return;
    }
    if (!existsSync(file)) throw new Error(`missing golden ${file}: run with UPDATE_GOLDEN=1 to create it, then review it`);
    expect(actual, `${name}.ts differs from its golden; if the change is intended, rerun with UPDATE_GOLDEN=1 and review the diff`).toBe(
      readFileSync(file, "utf8"),
    );
  });

  it("has no golden file without a case (stale goldens are deleted, not kept)", () => {
    const files = readdirSync(GOLDEN_DIR)
      .filter((f) => f.endsWith(".ts"))
      .sort();
    expect(files).toEqual(cases.map((c) => `${c.name}.ts`).sort());
  });

  it.each(cases)("$name: the default template renders the same bytes", async (c) => {
    const input = withPrettierConfig(c);
    expect(await renderFromTemplate(readDefaultTemplate(), input)).toBe(await renderRevision(input));
  });

  it.each(cases)("$name: evaluating the golden records the input ops (drops by name only)", (c) => {
    const mod = loadRevision(readFileSync(path.join(GOLDEN_DIR, `${c.name}.ts`), "utf8"));
    expect(record(mod.upgrade)).toStrictEqual(c.input.upgradeOps.map(recordedForm));
    if (Array.isArray(c.input.downgradeOps)) expect(record(mod.downgrade)).toStrictEqual(c.input.downgradeOps.map(recordedForm));
    else expect(() => record(mod.downgrade)).toThrow(`autogen: irreversible: ${c.input.downgradeOps.irreversible}`);
  });

  it("honours the prettier configuration found next to the revision", () => {
    const text = readFileSync(path.join(GOLDEN_DIR, "prettier_config.ts"), "utf8");
    expect(text).toContain("import type { Operations } from 'autogen';");
    expect(text).toMatch(/^ {4}op\.addColumn\('users', \{/m);
    expect(text).not.toMatch(/^ {2}op\./m);
  });

  it("every golden file typechecks against the Operations API", () => {
    const files = Object.fromEntries(
      readdirSync(GOLDEN_DIR)
        .filter((f) => f.endsWith(".ts"))
        .map((f) => [path.join(GOLDEN_DIR, f), readFileSync(path.join(GOLDEN_DIR, f), "utf8")]),
    );
    expect(Object.keys(files).length).toBe(cases.length);
    expect(typeErrors(files)).toEqual([]);
  });

  it("the typecheck does catch a wrong op call", () => {
    const golden = readFileSync(path.join(GOLDEN_DIR, "add_column_index.ts"), "utf8");
    const broken = golden.replace(`op.createIndex("IDX_users_role", "users", ["role"]);`, `op.createIndex("IDX_users_role", ["role"]);`);
    expect(broken).not.toBe(golden);
    const errors = typeErrors({ [path.join(GOLDEN_DIR, "__broken.ts")]: broken });
    expect(errors.join("\n")).toMatch(/__broken\.ts: Expected 3-4 arguments, but got 2/);
  });
});
