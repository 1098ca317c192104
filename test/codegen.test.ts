/**
 * The revision writer: every op kind survives render → evaluate → record, strings of any
 * shape come back byte-identical, findings sit above their op, and a template renders
 * exactly like the default.
 */
import { writeFileSync } from "node:fs";
import { ts } from "ts-morph";
import { afterAll, describe, expect, it } from "vitest";
import {
  newRevisionId,
  readDefaultTemplate,
  renderFromTemplate,
  recordedForm,
  renderOpCall,
  renderRevision,
  revisionFileName,
  type RevisionFileInput,
} from "../src/codegen/index.js";
import type { Finding } from "../src/diff/types.js";
import { UserError } from "../src/errors.js";
import type { Op, Operations } from "../src/ops/ops.js";
import { OpRecorder } from "../src/ops/recorder.js";
import { reverseOps } from "../src/ops/reverse.js";
import { emptyTable, type TableIR } from "../src/schema/ir.js";
import { createTempDir } from "./helpers/databases.js";

type RevisionModule = Record<string, unknown> & {
  upgrade: (op: Operations) => void;
  downgrade: (op: Operations) => void;
};

/** Evaluates a rendered revision as CommonJS; its only import is type-only, so `require` must never be called. */
function loadRevision(source: string): RevisionModule {
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  const module = { exports: {} as Record<string, unknown> };
  const require = (id: string) => {
    throw new Error(`revision file required "${id}" at runtime`);
  };
  new Function("module", "exports", "require", outputText)(module, module.exports, require);
  return module.exports as RevisionModule;
}

function record(fn: (op: Operations) => void): Op[] {
  const recorder = new OpRecorder("postgres");
  fn(recorder);
  return recorder.ops;
}

function baseInput(overrides: Partial<RevisionFileInput> = {}): RevisionFileInput {
  return {
    revision: "0123456789ab",
    downRevision: "ba9876543210",
    message: "test revision",
    createdAt: new Date("2026-01-02T03:04:05.678Z"),
    upgradeOps: [],
    downgradeOps: [],
    ...overrides,
  };
}

const TRICKY_SQL = [
  "UPDATE \"posts\" SET status = 'it''s' -- a comment",
  "\tWHERE body LIKE '%`backtick`%' AND x = '${not a placeholder}'",
  "  AND path = 'C:\\temp\\new' AND crlf = 'a\r\nb'",
  "  AND uni = 'ünïcödé ✓ \u2028 sep' AND nul = E'\\x00';",
].join("\n");

const usersTable: TableIR = {
  name: "users",
  columns: [
    { name: "id", type: "integer", nullable: false, generated: "identity", identity: "BY DEFAULT" },
    { name: "email", type: "varchar", length: 255, nullable: false },
    { name: "tags", type: "text", array: true, nullable: true },
    { name: "price", type: "numeric", precision: 10, scale: 2, nullable: false, default: "0" },
    {
      name: "status",
      type: "enum",
      enumName: "post_status",
      enumValues: ["draft", "published", "it's"],
      nullable: false,
      default: "'draft'::post_status",
    },
    { name: "shout", type: "text", nullable: true, computed: { expression: "upper(email) || '!'", stored: true } },
    { name: "note", type: "text", nullable: true, collation: "C", comment: 'a "quoted" comment\nover two lines' },
    { name: "org_id", type: "integer", nullable: true },
  ],
  primaryKey: { name: "PK_users", columns: ["id"] },
  foreignKeys: [
    {
      name: "FK_users_org",
      columns: ["org_id"],
      referencedTable: "orgs",
      referencedSchema: "tenant",
      referencedColumns: ["id"],
      onDelete: "CASCADE",
      onUpdate: "NO ACTION",
      deferrable: "INITIALLY DEFERRED",
    },
  ],
  uniques: [{ name: "UQ_users_email", columns: ["email"] }, { columns: ["org_id", "email"] }],
  indexes: [
    { name: "IDX_users_email", columns: ["email"], unique: false },
    { name: "IDX_users_status", columns: ["status", "email"], unique: true, where: "status <> 'draft'", method: "btree" },
  ],
  checks: [{ name: "CHK_price", expression: "price >= 0" }, { expression: "length(email) > 3" }],
  comment: "people who log in",
};

/** At least one op of every kind, with every optional field both present and absent somewhere. */
const everyOpKind: Op[] = [
  { kind: "createEnum", enum: { name: "post_status", values: ["draft", "published", "it's"] } },
  { kind: "createTable", table: usersTable },
  { kind: "createTable", table: { ...emptyTable("plain"), columns: [{ name: "x", type: "text", nullable: false }] } },
  { kind: "dropTable", table: { ...emptyTable("legacy"), columns: [{ name: "id", type: "integer", nullable: false }] } },
  { kind: "renameTable", from: "old name", to: 'new "name"' },
  { kind: "addColumn", table: "users", column: { name: "role", type: "varchar", length: 50, nullable: true, default: "'guest'" } },
  { kind: "dropColumn", table: "posts", column: { name: "body", type: "text", nullable: false, comment: "the body" } },
  { kind: "renameColumn", table: "posts", from: "title", to: "headline" },
  {
    kind: "alterColumn",
    table: "posts",
    column: "title",
    changes: {
      type: { from: { type: "varchar", length: 100 }, to: { type: "varchar", length: 150 } },
      nullable: { from: true, to: false },
      default: { from: null, to: "'untitled'" },
      generated: { from: null, to: "identity" },
      identity: { from: null, to: "ALWAYS" },
      comment: { from: "old", to: null },
      collation: { from: null, to: "C" },
    },
  },
  { kind: "alterColumn", table: "posts", column: "n", changes: { generated: { from: undefined, to: "increment" } } },
  { kind: "createPrimaryKey", table: "posts", primaryKey: { name: "PK_posts", columns: ["id", "rev"] } },
  { kind: "dropPrimaryKey", table: "posts", primaryKey: { columns: ["id"] } },
  { kind: "createIndex", table: "posts", index: { name: "IDX_a", columns: ["a"], unique: false } },
  {
    kind: "dropIndex",
    table: "posts",
    index: { name: "IDX_b", columns: ["b", "c"], unique: true, where: "deleted_at IS NULL", method: "gin" },
  },
  {
    kind: "createForeignKey",
    table: "posts",
    foreignKey: {
      columns: ["author_id"],
      referencedTable: "users",
      referencedColumns: ["id"],
      onDelete: "NO ACTION",
      onUpdate: "NO ACTION",
    },
  },
  {
    kind: "dropForeignKey",
    table: "posts",
    foreignKey: {
      name: "FK_posts_org",
      columns: ["org_id", "region"],
      referencedTable: "orgs",
      referencedSchema: "tenant",
      referencedColumns: ["id", "region"],
      onDelete: "SET NULL",
      onUpdate: "CASCADE",
      deferrable: "INITIALLY IMMEDIATE",
    },
  },
  { kind: "createUnique", table: "posts", unique: { name: "UQ_slug", columns: ["slug"] } },
  { kind: "dropUnique", table: "posts", unique: { columns: ["a", "b"] } },
  { kind: "createCheck", table: "posts", check: { name: "CHK_status", expression: "status IN ('draft', 'published')" } },
  { kind: "dropCheck", table: "posts", check: { expression: "price > 0" } },
  { kind: "alterEnum", name: "post_status", values: { from: ["draft"], to: ["draft", "archived"] } },
  { kind: "dropEnum", enum: { name: "mood", values: ["happy", "sad"] } },
  { kind: "execute", sql: "UPDATE posts SET status = 'draft' WHERE status IS NULL" },
  { kind: "execute", sql: TRICKY_SQL, reverseSql: "SELECT `x`, '${y}' \\ \"z\"", dialect: "postgres" },
  { kind: "execute", sql: "PRAGMA foo", dialect: "sqlite" },
  { kind: "createExtension", extension: { name: "uuid-ossp" } },
  { kind: "dropExtension", extension: { name: "hstore" } },
  {
    kind: "createExclusion",
    table: "bookings",
    exclusion: { name: "XCL_room", expression: "USING gist (room WITH =, during WITH &&) WHERE (cancelled = false)" },
  },
  { kind: "dropExclusion", table: "bookings", exclusion: { name: "XCL_old", expression: "USING gist (during WITH &&)" } },
  { kind: "createView", view: { name: "titles", expression: "SELECT title\n  FROM posts -- 'x' `y` ${z}" } },
  { kind: "dropView", view: { name: "counts", expression: "SELECT count(*) FROM posts", materialized: true } },
  {
    kind: "createTable",
    table: {
      name: "bookings",
      columns: [{ name: "during", type: "tstzrange", nullable: false }],
      foreignKeys: [],
      uniques: [],
      indexes: [],
      checks: [],
      exclusions: [{ name: "XCL_during", expression: "USING gist (during WITH &&)" }],
    },
  },
];

describe("round trip: rendered op calls record the same ops", () => {
  it("refuses an op of no known kind, even one named like an Object method", () => {
    for (const kind of ["toString", "constructor", "noSuchKind"]) {
      expect(() => renderOpCall({ kind } as unknown as Op)).toThrow(`no op.* call for op kind "${kind}"`);
    }
  });

  it("covers every op kind", () => {
    const kinds = new Set(everyOpKind.map((o) => o.kind));
    const all: Op["kind"][] = [
      "createTable",
      "dropTable",
      "renameTable",
      "addColumn",
      "dropColumn",
      "renameColumn",
      "alterColumn",
      "createPrimaryKey",
      "dropPrimaryKey",
      "createIndex",
      "dropIndex",
      "createForeignKey",
      "dropForeignKey",
      "createUnique",
      "dropUnique",
      "createCheck",
      "dropCheck",
      "createEnum",
      "dropEnum",
      "alterEnum",
      "execute",
      "createExtension",
      "dropExtension",
      "createExclusion",
      "dropExclusion",
      "createView",
      "dropView",
    ];
    expect([...kinds].sort()).toEqual([...all].sort());
  });

  it("upgrade records every op as given, drops by name only", async () => {
    const text = await renderRevision(baseInput({ upgradeOps: everyOpKind }));
    expect(record(loadRevision(text).upgrade)).toStrictEqual(everyOpKind.map(recordedForm));
  });

  it("downgrade records the reversed ops", async () => {
    const reversible = everyOpKind.filter((o) => o.kind !== "execute" || o.reverseSql !== undefined);
    const text = await renderRevision(baseInput({ upgradeOps: reversible, downgradeOps: reverseOps(reversible) }));
    const mod = loadRevision(text);
    expect(record(mod.upgrade)).toStrictEqual(reversible.map(recordedForm));
    expect(record(mod.downgrade)).toStrictEqual(reverseOps(reversible).map(recordedForm));
  });

  it("keeps SQL with quotes, backticks, ${, backslashes, CR/LF and Unicode byte-identical", async () => {
    const text = await renderRevision(baseInput({ upgradeOps: [{ kind: "execute", sql: TRICKY_SQL, reverseSql: TRICKY_SQL }] }));
    const [op] = record(loadRevision(text).upgrade);
    expect(op).toStrictEqual({ kind: "execute", sql: TRICKY_SQL, reverseSql: TRICKY_SQL });
    // Multi-line SQL stays multi-line in the file (a template literal), single-line SQL does not.
    expect(text).toContain("`UPDATE \"posts\" SET status = 'it''s' -- a comment\n");
  });

  it("writes a string default such as 'draft' as a plain string", async () => {
    const column = { name: "status", type: "varchar", nullable: false, default: "'draft'" };
    const text = await renderRevision(baseInput({ upgradeOps: [{ kind: "addColumn", table: "posts", column }] }));
    expect(text).toContain(`default: "'draft'"`);
  });

  it("writes column keys in the readable order, whatever order the IR has", async () => {
    const column = { comment: "c", default: "1", nullable: false, type: "numeric", scale: 2, precision: 9, name: "amount" };
    const text = await renderRevision(baseInput({ upgradeOps: [{ kind: "addColumn", table: "t", column }] }));
    const keys = [...text.matchAll(/^\s+(\w+): /gm)].map((m) => m[1]);
    expect(keys).toEqual(["name", "type", "precision", "scale", "nullable", "default", "comment"]);
  });

  it("leaves out what the recorder fills in by default", async () => {
    const text = await renderRevision(
      baseInput({
        upgradeOps: [
          { kind: "createIndex", table: "t", index: { name: "IDX_t_a", columns: ["a"], unique: false } },
          {
            kind: "createForeignKey",
            table: "t",
            foreignKey: {
              name: "FK_t",
              columns: ["u"],
              referencedTable: "u",
              referencedColumns: ["id"],
              onDelete: "NO ACTION",
              onUpdate: "NO ACTION",
            },
          },
          { kind: "createTable", table: { ...emptyTable("bare"), columns: [{ name: "a", type: "text", nullable: true }] } },
        ],
      }),
    );
    expect(text).toContain(`op.createIndex("IDX_t_a", "t", ["a"]);`);
    expect(text).toContain(`op.createForeignKey("FK_t", "t", ["u"], "u", ["id"]);`);
    expect(text).not.toMatch(/foreignKeys|uniques|indexes|checks|unique: false|NO ACTION/);
  });

  it("refuses a schema-qualified table instead of dropping the schema silently", async () => {
    const table = { ...emptyTable("audit"), schema: "history", columns: [{ name: "id", type: "integer", nullable: false }] };
    await expect(renderRevision(baseInput({ upgradeOps: [{ kind: "createTable", table }] }))).rejects.toThrow(/history\.audit/);
  });
});

describe("file shape", () => {
  it("exports the revision metadata, dependsOn and branchLabels only when non-empty", async () => {
    const plain = loadRevision(await renderRevision(baseInput({ dependsOn: [], branchLabels: [] })));
    expect(plain.revision).toBe("0123456789ab");
    expect(plain.downRevision).toBe("ba9876543210");
    expect(plain.message).toBe("test revision");
    expect(plain.createdAt).toBe("2026-01-02T03:04:05.678Z");
    expect("dependsOn" in plain).toBe(false);
    expect("branchLabels" in plain).toBe(false);

    const full = loadRevision(
      await renderRevision(baseInput({ downRevision: ["aaa", "bbb"], dependsOn: ["ccc"], branchLabels: ["feature"] })),
    );
    expect(full.downRevision).toEqual(["aaa", "bbb"]);
    expect(full.dependsOn).toEqual(["ccc"]);
    expect(full.branchLabels).toEqual(["feature"]);
  });

  it("writes a base revision with downRevision null and says so in the header", async () => {
    const text = await renderRevision(baseInput({ downRevision: null }));
    expect(loadRevision(text).downRevision).toBeNull();
    expect(text).toContain(" * Revises:  (base)\n");
    expect(text).toContain(`import type { Operations } from "autogen";`);
  });

  it("imports Operations from importFrom when given", async () => {
    const text = await renderRevision(baseInput({ importFrom: "../src/ops/ops.js" }));
    expect(text).toContain(`import type { Operations } from "../src/ops/ops.js";`);
  });

  it("renders empty bodies as a comment and runs them as no-ops", async () => {
    const text = await renderRevision(baseInput());
    expect(text.match(/\/\/ nothing to do/g)).toHaveLength(2);
    const mod = loadRevision(text);
    expect(record(mod.upgrade)).toEqual([]);
    expect(record(mod.downgrade)).toEqual([]);
  });

  it("keeps a message that would close the header comment inside it", async () => {
    const message = "fix */ comments\nsecond line";
    const text = await renderRevision(baseInput({ message }));
    expect(loadRevision(text).message).toBe(message);
    expect(text).toContain(" * fix *\\/ comments\n * second line\n");
  });

  it("rejects revision ids the loader would not accept", async () => {
    await expect(renderRevision(baseInput({ revision: "has space" }))).rejects.toBeInstanceOf(UserError);
    await expect(renderRevision(baseInput({ downRevision: ["ok", "../x"] }))).rejects.toThrow(/"\.\.\/x"/);
  });
});

describe("findings and irreversible downgrades", () => {
  const ops: Op[] = [
    { kind: "dropColumn", table: "posts", column: { name: "body", type: "text", nullable: false } },
    { kind: "addColumn", table: "posts", column: { name: "content", type: "text", nullable: false } },
  ];
  const rename: Finding = {
    kind: "renameCandidate",
    opIndex: 0,
    table: "posts",
    column: "body",
    message:
      "possible rename posts.body -> posts.content (same type and nullability). Generated as drop + add, which loses the data in the column and cannot be undone by a downgrade.",
    hint: "--rename posts.body=content",
  };
  const general: Finding = { kind: "unnamedConstraint", message: "table legacy has an unnamed CHECK that cannot be dropped by name" };

  it("puts a finding directly above its op, wrapped to 100 columns, with its hint", async () => {
    const text = await renderRevision(baseInput({ upgradeOps: ops, findings: [rename] }));
    const lines = text.split("\n");
    const at = lines.findIndex((l) => l.includes(`op.dropColumn("posts", "body"`));
    const comment: string[] = [];
    for (let i = at - 1; lines[i]?.trimStart().startsWith("//"); i--) comment.unshift(lines[i] as string);
    expect(comment[0]).toBe("  // autogen: possible rename posts.body -> posts.content (same type and nullability). Generated as");
    expect(comment.at(-1)).toBe("  //   To confirm, run again with --rename posts.body=content");
    expect(comment.length).toBe(3);
    for (const line of comment) expect(line.length).toBeLessThanOrEqual(100);
    // The addColumn has no finding: nothing between the two ops.
    expect(lines[at + 1]).toContain(`op.addColumn("posts"`);
  });

  it("does not repeat a hint the message already states", async () => {
    const finding = { ...rename, message: "possible rename; confirm with --rename posts.body=content" };
    const text = await renderRevision(baseInput({ upgradeOps: ops, findings: [finding] }));
    expect(text.match(/--rename posts\.body=content/g)).toHaveLength(1);
  });

  it("puts findings without an op (or with an index out of range) into the header", async () => {
    const text = await renderRevision(baseInput({ upgradeOps: ops, findings: [general, { ...general, message: "stray", opIndex: 9 }] }));
    const header = text.slice(0, text.indexOf("*/"));
    expect(header).toContain(" * autogen: table legacy has an unnamed CHECK that cannot be dropped by name\n");
    expect(header).toContain(" * autogen: stray\n");
    expect(text.indexOf("// autogen")).toBe(-1);
  });

  it("renders an irreversible downgrade that throws with the reason, and a loud comment", async () => {
    const reason = 'op.execute("DELETE FROM sessions") has no reverse SQL';
    const text = await renderRevision(baseInput({ upgradeOps: ops, downgradeOps: { irreversible: reason } }));
    expect(text).toContain("// autogen: IRREVERSIBLE");
    expect(text).toContain(" * IRREVERSIBLE: downgrade() throws");
    const mod = loadRevision(text);
    expect(() => record(mod.downgrade)).toThrow(`autogen: irreversible: ${reason}`);
    expect(record(mod.upgrade)).toStrictEqual(ops.map(recordedForm));
  });
});

describe("templates", () => {
  const input = baseInput({
    upgradeOps: everyOpKind,
    downgradeOps: { irreversible: "execute without reverse" },
    findings: [{ kind: "destructive", opIndex: 3, message: "drops table legacy and its rows" }],
    branchLabels: ["main"],
  });

  it("renders the default template byte-for-byte like renderRevision", async () => {
    expect(await renderFromTemplate(readDefaultTemplate(), input)).toBe(await renderRevision(input));
  });

  it("documents every placeholder it supports at the top of the default template", () => {
    const template = readDefaultTemplate();
    const doc = template
      .split("\n")
      .filter((l) => l.startsWith("##"))
      .join("\n");
    for (const name of ["header", "imports", "exports", "upgrades", "downgrades", "revision", "downRevision", "message", "createdAt"]) {
      expect(doc).toContain(`\${${name}}`);
    }
  });

  it("fills a custom template, keeping its own code and dropping ## lines", async () => {
    const custom = [
      "## my team's template",
      "${header}",
      "${imports}",
      'import { audit } from "./audit.js";',
      "",
      "${exports}",
      "// generated for ${revision} (revises ${downRevision}) at ${createdAt}: ${message}",
      "export const tag = `rev-$${revision}`;",
      "",
      "export function upgrade(op: Operations): void {",
      "  audit(op);",
      "  ${upgrades}",
      "}",
      "",
      "export function downgrade(op: Operations): void {",
      "${downgrades}",
      "}",
    ].join("\n");
    const text = await renderFromTemplate(custom, input);
    expect(text).not.toContain("my team's template");
    expect(text).toContain(`import { audit } from "./audit.js";`);
    expect(text).toContain("// generated for 0123456789ab (revises ba9876543210) at 2026-01-02T03:04:05.678Z: test revision");
    expect(text).toContain("export const tag = `rev-${revision}`;");
    expect(text).toContain("  audit(op);\n  op.createEnum(");
    expect(text).toContain("// autogen: drops table legacy and its rows\n  op.dropTable(");
  });

  it("names an unknown placeholder and its line", async () => {
    const bad = "${header}\n${imports}\n${upgardes}\n${upgrades}${downgrades}";
    await expect(renderFromTemplate(bad, input, "versions/script.ts.tmpl")).rejects.toThrow(
      /^versions\/script\.ts\.tmpl:3: unknown placeholder \$\{upgardes\}/,
    );
  });

  it("refuses a template that would drop the generated ops", async () => {
    await expect(renderFromTemplate("${header}\n${upgrades}", input)).rejects.toThrow(/missing placeholder \$\{downgrades\}/);
  });

  it("reports a template that produces invalid TypeScript as a user error", async () => {
    const broken = "export function upgrade(op: Operations): void {\n${upgrades}\n\nexport function downgrade(op: any) {${downgrades}}";
    await expect(renderFromTemplate(broken, input)).rejects.toBeInstanceOf(UserError);
  });
});

describe("prettier configuration", () => {
  const dir = createTempDir("autogen-codegen-");
  afterAll(() => dir.remove());
  const ops: Op[] = [{ kind: "renameTable", from: "a", to: "b" }];

  it("falls back to prettier's defaults where no configuration applies", async () => {
    const text = await renderRevision(baseInput({ upgradeOps: ops, prettierConfigFrom: dir.file("versions/x.ts") }));
    expect(text).toBe(await renderRevision(baseInput({ upgradeOps: ops })));
    expect(text).toContain(`  op.renameTable("a", "b");`);
  });

  it("applies a configuration's overrides for .ts files", async () => {
    const project = createTempDir("autogen-codegen-overrides-");
    try {
      writeFileSync(
        project.file(".prettierrc.json"),
        JSON.stringify({ overrides: [{ files: "*.ts", options: { useTabs: true, semi: false } }] }),
      );
      const text = await renderRevision(baseInput({ upgradeOps: ops, prettierConfigFrom: project.file("abc_x.ts") }));
      expect(text).toContain(`\top.renameTable("a", "b")\n`);
    } finally {
      project.remove();
    }
  });

  it("reports a malformed configuration as a user error naming the file it applies to", async () => {
    const broken = createTempDir("autogen-codegen-broken-");
    try {
      writeFileSync(broken.file(".prettierrc.json"), "{ not json");
      const target = broken.file("abc.ts");
      const attempt = renderRevision(baseInput({ prettierConfigFrom: target }));
      await expect(attempt).rejects.toBeInstanceOf(UserError);
      await expect(renderRevision(baseInput({ prettierConfigFrom: target }))).rejects.toThrow(target);
    } finally {
      broken.remove();
    }
  });
});

describe("file names and ids", () => {
  it("slugs the message into the file name", () => {
    expect(revisionFileName("3f9c2a1b7d4e", "Add role to users")).toBe("3f9c2a1b7d4e_add_role_to_users.ts");
    expect(revisionFileName("3f9c2a1b7d4e", "  --Fix: posts.body -> content!  ")).toBe("3f9c2a1b7d4e_fix_posts_body_content.ts");
    expect(revisionFileName("abc", "Ünïcode café")).toBe("abc_n_code_caf.ts");
  });

  it("cuts the slug at 40 characters and trims the underscores the cut leaves", () => {
    const name = revisionFileName("abc", "a very long message that goes on and on about nothing at all");
    expect(name).toBe("abc_a_very_long_message_that_goes_on_and_on.ts");
    expect(name.length - "abc_".length - ".ts".length).toBeLessThanOrEqual(40);
    expect(revisionFileName("abc", `${"x".repeat(39)} tail`)).toBe(`abc_${"x".repeat(39)}.ts`);
  });

  it("leaves the slug out when the message has nothing to slug", () => {
    expect(revisionFileName("abc", "")).toBe("abc.ts");
    expect(revisionFileName("abc", "!!! ---")).toBe("abc.ts");
  });

  it("makes 12-hex-character ids that differ", () => {
    const ids = new Set(Array.from({ length: 50 }, () => newRevisionId()));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{12}$/);
  });
});

describe("compact drops", () => {
  it("a drop names its table or column only, and the schema state completes it again", async () => {
    const { hydrateOp } = await import("../src/runtime/hydrate.js");
    const drops = everyOpKind.filter((o) => o.kind === "dropTable" || o.kind === "dropColumn");
    expect(drops.length).toBe(2);
    const text = await renderRevision(baseInput({ upgradeOps: drops }));
    for (const op of drops) {
      const call = op.kind === "dropTable" ? `op.dropTable("${op.table.name}");` : `op.dropColumn("${op.table}", "${op.column.name}");`;
      expect(text).toContain(call);
    }
    // The state the revision graph has at that point: the tables as they were before the drops.
    const state = {
      dialect: "postgres" as const,
      enums: [],
      tables: drops.map((op) =>
        op.kind === "dropTable"
          ? op.table
          : { ...emptyTable(op.kind === "dropColumn" ? op.table : ""), columns: op.kind === "dropColumn" ? [op.column] : [] },
      ),
    };
    const recorded = record(loadRevision(text).upgrade);
    expect(recorded.map((op) => hydrateOp(op, state))).toStrictEqual(drops);
  });
});
