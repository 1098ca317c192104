/**
 * Autogenerate as one pipeline (src/autogenerate.ts): compare, resolve renames, reverse,
 * and attach the downgrade's destructive findings to the downgrade ops they concern.
 */
import { cpSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Workspace } from "../src/api/index.js";
import { autogenerate } from "../src/autogenerate.js";
import { createTempDir, sqliteUrl, type TempDir } from "./helpers/databases.js";
import { createProject, type TestProject, MODELS_EXAMPLE_DIR } from "./helpers/project.js";

describe("autogenerate()", () => {
  let dir: TempDir;
  let project: TestProject;
  beforeAll(() => {
    dir = createTempDir();
    project = createProject({ url: sqliteUrl(dir), entities: ["entities/*.ts"] });
    cpSync(path.join(MODELS_EXAMPLE_DIR, "entities"), project.dir.file("entities"), { recursive: true });
  });
  afterAll(() => {
    project?.remove();
    dir?.remove();
  });

  it("returns the ops, their reversal, and each downgrade finding at the downgrade op it describes", async () => {
    const ws = new Workspace({ config: project.config });
    const result = await ws.withConnection((conn) => autogenerate(conn, ws.config, ws.dialect));
    expect(result.ops.filter((op) => op.kind === "createTable")).toHaveLength(6);
    expect(Array.isArray(result.downgrade)).toBe(true);
    const downgrade = result.downgrade as Exclude<typeof result.downgrade, { irreversible: string }>;
    expect(downgrade.map((op) => op.kind)).toEqual(
      [...result.ops].reverse().map((op) => (op.kind === "createTable" ? "dropTable" : op.kind)),
    );
    expect(result.downgradeFindings.length).toBeGreaterThan(0);
    for (const finding of result.downgradeFindings) {
      const op = downgrade[finding.opIndex!];
      expect(op?.kind).toBe("dropTable");
      expect(finding.message).toContain(op?.kind === "dropTable" ? op.table.name : "?");
    }
  });
});
