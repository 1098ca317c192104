/**
 * `autogen test`: pytest-alembic's suite, built in, on a scratch database autogen
 * creates and drops itself (PostgreSQL: a temporary database on the configured server;
 * SQLite: a temp file). The configured database is never touched.
 *
 * Checks, in order, each named in the output:
 * - single head: the revision graph has one head (several: merge them);
 * - upgrade base to head: every revision applies on an empty database;
 * - stairway: from base, each revision goes up, down and up again, and its downgrade
 *   leaves the schema exactly as it was before its upgrade;
 * - models match head: at head, autogenerate has nothing to add;
 * - seeded rows survive (with `seed`): the seeders run at head, then each revision is
 *   walked down and up again from the top; the rows of tables that survive its
 *   downgrade, in the columns that survive it, are unchanged;
 * - downgrade to base: only autogen's bookkeeping is left.
 */
import { compareModelsToDatabase, readDatabaseSchema } from "../autogenerate.js";
import { renderOpCall } from "../codegen/index.js";
import type { DbConnection, ScratchDatabase } from "../dialects/dialect.js";
import { diffSchemas } from "../diff/index.js";
import { UserError, categorize, errorMessage } from "../errors.js";
import { planVersionSteps, type RevisionGraph, type RevisionScript } from "../revisions/index.js";
import { executeStep, type Step } from "../runtime/execute.js";
import type { SchemaIR } from "../schema/ir.js";
import { Workspace, type CommonOptions } from "./workspace.js";
import { diffOptionsFor } from "../diff/options.js";

export const TEST_CHECKS = [
  "single head",
  "upgrade base to head",
  "stairway",
  "models match head",
  "seeded rows survive",
  "downgrade to base",
] as const;
export type TestCheckName = (typeof TEST_CHECKS)[number];

export interface TestCheck {
  name: TestCheckName;
  status: "passed" | "failed" | "skipped";
  message?: string;
  /** The revision a failure is about. */
  revision?: string;
}

export interface TestOptions extends CommonOptions {
  /** Run the seeders at head and check the stairway keeps their rows. */
  seed?: boolean;
  seeder?: string;
  fakerSeed?: number;
}

export interface TestResult {
  passed: boolean;
  /** The scratch database (dropped by now). */
  database: string;
  checks: TestCheck[];
}

/** A failed check's reason, with the revision it concerns. */
class CheckFailure extends Error {
  constructor(
    message: string,
    readonly revision?: string,
  ) {
    super(message);
  }
}

const firstLine = (err: unknown) => errorMessage(err).split("\n")[0] ?? "";

type Graph = RevisionGraph<RevisionScript>;

/** Runs one revision up or down on `conn` (exactly that revision, whatever else is applied). */
async function step(ws: Workspace, conn: DbConnection, graph: Graph, node: RevisionScript, direction: Step["direction"]): Promise<void> {
  const rows = await ws.readHeads(conn);
  const [planned] = planVersionSteps(graph, rows, [node], direction);
  if (!planned) throw new CheckFailure(`${node.revision}: nothing to ${direction}`, node.revision);
  try {
    await executeStep(conn, ws.context, { script: node, direction, rowsBefore: rows, versionActions: planned.actions });
  } catch (err) {
    throw new CheckFailure(`${direction} of ${node.revision} failed: ${firstLine(err)}`, node.revision);
  }
}

/** A schema difference, as op calls (empty when the two agree). */
function differences(ws: Workspace, expected: SchemaIR, actual: SchemaIR): string[] {
  return diffSchemas(expected, actual, diffOptionsFor(ws.dialect)).ops.map(renderOpCall);
}

type Rows = Map<string, Array<Record<string, unknown>>>;

async function readRows(ws: Workspace, conn: DbConnection, schema: SchemaIR): Promise<Rows> {
  const rows: Rows = new Map();
  for (const table of schema.tables) {
    const found = await conn.query(`SELECT * FROM ${ws.dialect.quoteIdent(table.name)}`);
    rows.set(table.name, found);
  }
  return rows;
}

/** Rows as comparable strings, limited to `columns`, sorted. */
function canonical(rows: Array<Record<string, unknown>>, columns: readonly string[]): string[] {
  return rows
    .map((row) => JSON.stringify(columns.map((c) => (row[c] instanceof Date ? (row[c] as Date).toISOString() : (row[c] ?? null)))))
    .sort();
}

export async function testMigrations(options: TestOptions = {}): Promise<TestResult> {
  const ws0 = Workspace.open(options);
  const graph = ws0.graph();
  const { dialect } = ws0;
  if (!dialect.createScratch) throw categorize(new UserError(`autogen test: no scratch databases on ${dialect.name} yet`), "config");
  let scratch: ScratchDatabase;
  try {
    scratch = await dialect.createScratch(ws0.config.url);
  } catch (err) {
    throw categorize(new UserError(`autogen test: cannot create a scratch database: ${firstLine(err)}`), "connect");
  }
  // A tenant's scratch database has none of its schemas: the suite runs in the default one.
  const ws = options.workspace ? ws0.forTarget({ url: scratch.url }) : new Workspace({ ...options, url: scratch.url });
  const checks: TestCheck[] = [];
  let blocked: string | undefined;
  const run = async (name: TestCheckName, fn: () => Promise<void>) => {
    if (blocked !== undefined) {
      checks.push({ name, status: "skipped", message: `skipped: ${blocked} failed` });
      return;
    }
    try {
      await fn();
      checks.push({ name, status: "passed" });
    } catch (err) {
      if (!(err instanceof CheckFailure) && !(err instanceof UserError)) throw err;
      const revision = err instanceof CheckFailure ? err.revision : undefined;
      checks.push({ name, status: "failed", message: firstLine(err), ...(revision ? { revision } : {}) });
      // Later checks build on the database this one left; they cannot be judged now.
      if (name !== "single head" && name !== "models match head") blocked = name;
    }
  };
  const order = graph.order.map((id) => graph.get(id));

  try {
    await ws.withConnection(async (conn) => {
      await ws.ensureVersionTable(conn);
      await run("single head", async () => {
        if (graph.heads.length > 1) {
          throw new CheckFailure(
            `${graph.heads.length} heads (${graph.heads.join(", ")}): merge them with \`autogen merge heads -m "merge"\``,
          );
        }
      });
      await run("upgrade base to head", async () => {
        for (const node of order) await step(ws, conn, graph, node, "upgrade");
      });
    });
    // Back to an empty database without trusting the downgrades (the stairway judges those):
    // a new one, so that nothing a revision made survives — modules, types, functions,
    // sequences, schemas — whether or not the introspector reads it.
    if (blocked === undefined) await scratch.reset();
    await ws.withConnection(async (conn) => {
      await ws.ensureVersionTable(conn);
      await run("stairway", async () => {
        for (const node of order) {
          const before = await readDatabaseSchema(conn, ws.config, dialect);
          await step(ws, conn, graph, node, "upgrade");
          await step(ws, conn, graph, node, "downgrade");
          const after = await readDatabaseSchema(conn, ws.config, dialect);
          const left = differences(ws, before, after);
          if (left.length) {
            throw new CheckFailure(
              `downgrade of ${node.revision} does not restore the schema before its upgrade (${node.path}); still to undo: ${left.join(" ")}`,
              node.revision,
            );
          }
          await step(ws, conn, graph, node, "upgrade");
        }
      });
    });
    // The models are read (and compared) in a connection of their own: loading them can take a while.
    await run("models match head", async () => {
      // ws.dialect once connected: the models normalised as that server stores them (MariaDB's uuid).
      const diff = await ws.withConnection((conn) => compareModelsToDatabase(conn, ws.config, ws.dialect));
      const unsupported = diff.findings.filter((f) => f.kind === "unsupported");
      if (diff.ops.length || unsupported.length) {
        const what = [...diff.ops.map(renderOpCall), ...unsupported.map((f) => f.message.split("\n")[0])];
        throw new CheckFailure(`the models differ from head: ${what.join(" ")}`);
      }
    });
    if (options.seed || options.seeder !== undefined) {
      await run("seeded rows survive", async () => {
        const { seed } = await import("./seed.js");
        await seed({ ...options, url: scratch.url, log: () => {}, ...(options.workspace ? { workspace: ws } : {}) });
        await ws.withConnection(async (conn) => {
          for (const node of [...order].reverse()) {
            const top = await readDatabaseSchema(conn, ws.config, dialect);
            const before = await readRows(ws, conn, top);
            await step(ws, conn, graph, node, "downgrade");
            const middle = await readDatabaseSchema(conn, ws.config, dialect);
            await step(ws, conn, graph, node, "upgrade");
            const after = await readRows(ws, conn, top);
            for (const table of middle.tables) {
              const was = top.tables.find((t) => t.name === table.name);
              if (!was) continue;
              const columns = table.columns.map((c) => c.name).filter((c) => was.columns.some((w) => w.name === c));
              const a = canonical(before.get(table.name) ?? [], columns);
              const b = canonical(after.get(table.name) ?? [], columns);
              if (a.join("\n") !== b.join("\n")) {
                throw new CheckFailure(
                  `down and up again of ${node.revision} changed the rows of ${table.name} (${a.length} rows before, ${b.length} after) (${node.path})`,
                  node.revision,
                );
              }
            }
            // Walk on down from this revision: undo it for the next one.
            await step(ws, conn, graph, node, "downgrade");
          }
          for (const node of order) await step(ws, conn, graph, node, "upgrade");
        });
      });
    } else {
      checks.push({ name: "seeded rows survive", status: "skipped", message: "run with --seed to check seeded rows" });
    }
    await run("downgrade to base", async () => {
      await ws.withConnection(async (conn) => {
        for (const node of [...order].reverse()) {
          if ((await ws.readHeads(conn)).length === 0) break;
          const applied = new Set(graph.ancestors(await ws.readHeads(conn)));
          if (applied.has(node.revision)) await step(ws, conn, graph, node, "downgrade");
        }
        const left = await readDatabaseSchema(conn, ws.config, dialect);
        const names = [...left.tables.map((t) => t.name), ...left.enums.map((e) => `enum ${e.name}`)];
        if (names.length)
          throw new CheckFailure(`after downgrading to base, still there: ${names.join(", ")} (only autogen's bookkeeping may be left)`);
      });
    });
  } finally {
    await scratch.drop().catch(() => {});
  }
  return { passed: checks.every((c) => c.status !== "failed"), database: scratch.name, checks };
}
