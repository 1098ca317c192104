/**
 * Renames are never guessed: without confirmation a renamed column is drop + add with a
 * finding; a flag or the prompt resolver turns it into a renameColumn that keeps the data.
 */
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { revision, upgrade, Workspace } from "../src/api/index.js";
import type { RenameSuggestion } from "../src/diff/types.js";
import { promptResolver, withConfirmed } from "../src/renames/resolver.js";
import { createTempDir, sqliteUrl, type TempDir } from "./helpers/databases.js";
import { createProject, fixtureEntities, type TestProject } from "./helpers/project.js";

describe("rename resolvers", () => {
  const suggestions: RenameSuggestion[] = [
    { kind: "column", table: "people", from: "name", to: "fullName" },
    { kind: "column", table: "people", from: "name", to: "nickname" },
    { kind: "table", from: "old_people", to: "people" },
  ];

  it("asks once per source and records what was confirmed", async () => {
    const asked: string[] = [];
    const resolver = promptResolver(async (q) => {
      asked.push(q);
      return !q.includes("table");
    });
    const confirmed = await resolver(suggestions);
    expect(confirmed).toEqual([suggestions[0]]);
    // The second suggestion for people.name is skipped once the first is confirmed.
    expect(asked).toEqual(["Did you rename column people.name -> people.fullName?", "Did you rename table old_people -> people?"]);
  });

  it("merges confirmations into hints without overriding earlier answers", () => {
    const hints = withConfirmed({ columns: { "people.name": "given" } }, suggestions);
    expect(hints).toEqual({ tables: { old_people: "people" }, columns: { "people.name": "given" } });
  });
});

describe("rename on a real database (SQLite)", () => {
  let db: TempDir;
  let project: TestProject;
  beforeEach(async () => {
    db = createTempDir();
    project = createProject({ url: sqliteUrl(db), entities: [fixtureEntities("rename-before")] });
    await revision({ config: project.config, message: "people", autogenerate: true });
    await upgrade({ config: project.config });
    const ws = new Workspace({ config: project.config });
    await ws.withConnection((c) => c.query("INSERT INTO people (name) VALUES ('Ada Lovelace'), ('Alan Turing')"));
    project.write({ url: sqliteUrl(db), entities: [fixtureEntities("rename-after")] });
  });
  afterEach(() => {
    project.remove();
    db.remove();
  });

  it("without any answer: refused, nothing written (renames are never resolved by silence)", async () => {
    await expect(revision({ config: project.config, message: "rename", autogenerate: true })).rejects.toThrow(
      /column people\.name -> people\.fullName \(keep the data: --rename people\.name=fullName; really a drop: --drop people\.name\)/,
    );
  });

  it("answered 'really a drop': drop + add, with the finding and the flag next to the drop", async () => {
    const r = await revision({ config: project.config, message: "rename", autogenerate: true, drops: ["people.name"] });
    if (!r.written) throw new Error("expected a revision");
    expect(r.ops.map((o) => o.kind).sort()).toEqual(["addColumn", "dropColumn"]);
    expect(r.findings.map((f) => f.kind)).toContain("renameCandidate");
    const text = readFileSync(r.path, "utf8");
    expect(text).toMatch(
      /\/\/ autogen: Possible rename people\.name -> people\.fullName[\s\S]*--rename people\.name=fullName[\s\S]*op\.dropColumn\("people", "name"/,
    );
  });

  it("confirmed by the resolver: one renameColumn, and the rows keep their data", async () => {
    const asked: string[] = [];
    const r = await revision({
      config: project.config,
      message: "rename",
      autogenerate: true,
      resolveRenames: promptResolver(async (q) => (asked.push(q), true)),
    });
    if (!r.written) throw new Error("expected a revision");
    expect(asked).toEqual(["Did you rename column people.name -> people.fullName?"]);
    expect(r.ops).toEqual([{ kind: "renameColumn", table: "people", from: "name", to: "fullName" }]);
    await upgrade({ config: project.config });
    const ws = new Workspace({ config: project.config });
    const rows = await ws.withConnection((c) => c.query('SELECT "fullName" FROM people ORDER BY id'));
    expect(rows).toEqual([{ fullName: "Ada Lovelace" }, { fullName: "Alan Turing" }]);
  });

  it("confirmed by the --rename hint: the same renameColumn, no question asked", async () => {
    const r = await revision({
      config: project.config,
      message: "rename",
      autogenerate: true,
      renames: { columns: { "people.name": "fullName" } },
      resolveRenames: async () => {
        throw new Error("must not ask");
      },
    });
    if (!r.written) throw new Error("expected a revision");
    expect(r.ops).toEqual([{ kind: "renameColumn", table: "people", from: "name", to: "fullName" }]);
  });
});
