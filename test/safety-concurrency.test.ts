/**
 * Issue 7.8: concurrent `upgrade head` runs wait for each other (PostgreSQL: a session
 * advisory lock for the run; SQLite: BEGIN IMMEDIATE and the busy timeout, then a new
 * plan from the version table; MySQL, whose DDL commits as it runs: a named lock held by
 * the migrating connection for the whole run) and all reach head on every database: 4 of
 * 4 exit 0, each revision applied once (its row in `applied`, one version row, one
 * upgrade row each in the migration log).
 */
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS } from "./helpers/databases.js";
import { createSafetyProject, type SafetyProject } from "./helpers/safety.js";
import { assertBuilt } from "./helpers/cli.js";

const REVISIONS = ["r1", "r2", "r3", "r4"];

/** Each revision logs itself in `applied`, so a revision run twice shows as two rows. */
function revisionFile(id: string, index: number): string {
  const create = index === 0 ? `op.execute("CREATE TABLE applied (rev varchar(10) NOT NULL)");\n  ` : "";
  return `import type { Operations } from "autogen";
export const revision = "${id}";
export const downRevision = ${index === 0 ? "null" : `"${REVISIONS[index - 1]}"`};
export const message = "step ${id}";
export function upgrade(op: Operations): void {
  ${create}op.createTable("t_${id}", { columns: [{ name: "id", type: "integer", nullable: false }], primaryKey: { columns: ["id"] } });
  op.execute("INSERT INTO applied (rev) VALUES ('${id}')");
}
export function downgrade(op: Operations): void {
  op.dropTable("t_${id}");
}
`;
}

for (const kind of DATABASE_KINDS) {
  const { dialect } = kind;
  const skip = !(await kind.available());
  describe(`4 concurrent upgrade head on ${dialect}`, () => {
    let project: SafetyProject;
    beforeAll(async () => {
      if (skip) return;
      assertBuilt();
      project = await createSafetyProject(dialect);
      REVISIONS.forEach((id, i) => writeFileSync(project.dir.file(`versions/${id}_step.ts`), revisionFile(id, i)));
    });
    afterAll(async () => project?.remove());

    it.skipIf(skip)(
      "all exit 0 and every revision is applied exactly once",
      async () => {
        const runs = await Promise.all([1, 2, 3, 4].map(() => project.cliAsync(["upgrade", "head"])));
        for (const r of runs) {
          expect(r.stderr).toBe("");
          expect(r.status).toBe(0);
        }
        const applied = (await project.query("SELECT rev FROM applied ORDER BY rev")).map((r) => r.rev);
        expect(applied).toEqual(REVISIONS);
        expect((await project.query("SELECT version_num FROM autogen_version")).map((r) => r.version_num)).toEqual(["r4"]);
        const log = await project.query("SELECT revision, action FROM autogen_version_log ORDER BY id");
        expect(log).toEqual(REVISIONS.map((revision) => ({ revision, action: "upgrade" })));
        // Between them, the runs applied each revision once.
        // A step whose transaction found the version table moved on says so on the next line
        // and was not applied (its statements never ran): only the others count.
        const lines = runs.flatMap((r) =>
          r.stdout
            .split("\n")
            .filter(
              (l, i, all) => l.startsWith("Running upgrade") && !all[i + 1]?.startsWith("Another process applied revisions meanwhile"),
            ),
        );
        expect(lines.map((l) => /-> (r\d)/.exec(l)![1]).sort()).toEqual(REVISIONS);
      },
      240_000,
    );
  });
}
