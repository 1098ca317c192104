/**
 * Op kinds only one database has are defined in that database's folder and reached
 * through the registry: no file outside the folder names the kind or its `op.*` method,
 * the shared renderers refuse it through one refusal, and the recorder, writer, reverse
 * and schema state all work from the definition.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderOpCall } from "../src/codegen/opCalls.js";
import { getDialect, DIALECT_NAMES } from "../src/dialects/index.js";
import { applyOps } from "../src/ops/apply.js";
import type { Op } from "../src/ops/ops.js";
import { OpRecorder } from "../src/ops/recorder.js";
import { databaseOpKinds } from "../src/ops/registry.js";
import { reverseOp } from "../src/ops/reverse.js";
import { REPO_ROOT } from "./helpers/project.js";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : name.endsWith(".ts") ? [full] : [];
  });
}

const SRC = path.join(REPO_ROOT, "src");
const files = sourceFiles(SRC).map((file) => ({ file: path.relative(REPO_ROOT, file), text: readFileSync(file, "utf8") }));

/** The dialect folder whose op-kinds module defines `kind`. */
function ownerOf(kind: string): string {
  const owner = files.find((f) => /^src\/dialects\/[^/]+\/(.+\/)?op-kinds\.ts$/.test(f.file) && f.text.includes(`"${kind}"`));
  expect(owner, `no op-kinds.ts under src/dialects/<name>/ defines ${kind}`).toBeDefined();
  return owner!.file.split("/").slice(0, 3).join("/") + "/";
}

describe("op kinds one database has", () => {
  const kinds = databaseOpKinds();

  it("are registered: exclusion constraints, extensions, table options, online steps", () => {
    expect(kinds.map((k) => k.kind)).toEqual(
      expect.arrayContaining([
        "alterTable",
        "createExclusion",
        "createExtension",
        "dropExclusion",
        "dropExtension",
        "backfill",
        "validateConstraint",
      ]),
    );
  });

  it.each(kinds.map((k) => [k.kind, k] as const))("%s is named in no source file outside its database's folder", (kind, def) => {
    const folder = ownerOf(kind);
    const words = [new RegExp(`["'\`]${kind}["'\`]`), new RegExp(`\\b${def.method}\\(`)];
    const offenders = files
      .filter((f) => !f.file.startsWith(folder))
      .flatMap((f) =>
        f.text.split("\n").flatMap((line, i) => (words.some((w) => w.test(line)) ? [`${f.file}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(offenders).toEqual([]);
  });

  // The IR and table-definition fields a database adds (its ir.ts augments the shared
  // interfaces) are read and written by shared code only as "attributes", never by name.
  // A name the shared IR also uses (a column's `collation`) is shared vocabulary.
  const sharedText = files.filter((f) => f.file === "src/schema/ir.ts" || f.file === "src/ops/ops.ts").map((f) => f.text);
  const attributes = files
    .filter((f) => /^src\/dialects\/[^/]+\/ir\.ts$/.test(f.file))
    .flatMap((f) => {
      const declared = f.text.slice(f.text.indexOf("declare module"));
      return [...declared.matchAll(/^\s+(\w+)\?:/gm)].map((m) => [m[1]!, f.file.split("/").slice(0, 3).join("/") + "/"] as const);
    })
    .filter(([name], i, all) => all.findIndex(([other]) => other === name) === i)
    .filter(([name]) => !sharedText.some((text) => new RegExp(`^\\s+${name}\\??:`, "m").test(text)));

  it("databases declare attributes of their own in their ir.ts", () => {
    expect(attributes.map(([name]) => name)).toEqual(expect.arrayContaining(["exclusions", "extensions", "engine"]));
  });

  it.each(attributes)("the %s attribute is named in no source file outside %s", (name, folder) => {
    // `require.extensions` is Node's, not the IR's.
    const words = [new RegExp(`(?<!require)\\.${name}\\b`), new RegExp(`\\b${name}\\??:`), new RegExp(`["'\`]${name}["'\`]`)];
    const offenders = files
      .filter((f) => !f.file.startsWith(folder))
      .flatMap((f) =>
        f.text.split("\n").flatMap((line, i) => (words.some((w) => w.test(line)) ? [`${f.file}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(offenders).toEqual([]);
  });

  const samples: Record<string, Op> = {
    createExtension: { kind: "createExtension", extension: { name: "hstore" } },
    createExclusion: { kind: "createExclusion", table: "t", exclusion: { name: "XCL_t", expression: "USING gist (id WITH =)" } },
    alterTable: { kind: "alterTable", table: "t", changes: { engine: { from: null, to: "MyISAM" } } },
  };
  const base = {
    dialect: "postgres" as const,
    enums: [],
    tables: [
      { name: "t", columns: [{ name: "id", type: "integer", nullable: false }], foreignKeys: [], uniques: [], indexes: [], checks: [] },
    ],
  };

  it.each(Object.entries(samples))(
    "%s: recorded from its call text, reversed, applied and undone through its definition",
    async (_kind, op) => {
      const call = renderOpCall(op);
      const recorder = new OpRecorder("postgres");
      // The call text is what a revision file holds: run it against a recorder.
      await new Function("op", call)(recorder);
      expect(recorder.ops).toEqual([op]);
      const there = applyOps(base, [op]);
      expect(there).not.toEqual(base);
      expect(applyOps(there, [reverseOp(op)])).toEqual(base);
    },
  );

  it("every other database refuses them with one line naming the op and the database it is for", () => {
    for (const [kind, op] of Object.entries(samples)) {
      const owner = databaseOpKinds().find((k) => k.kind === kind)!.database;
      for (const name of DIALECT_NAMES) {
        const dialect = getDialect(name);
        if (dialect.title.startsWith(owner) || (owner === "MySQL" && name === "mysql")) continue;
        expect(() => dialect.renderOp(op, applyOps({ ...base, dialect: name }, [])), `${name} ${kind}`).toThrow(
          new RegExp(`^\\w+\\(".*?\\): \\S+ has no .* \\(this op is for ${owner}\\)$`),
        );
      }
    }
  });
});
