/**
 * `baseline`: adopt a database autogen has never migrated (built by TypeORM's
 * `synchronize`, its own migrations, or by hand). One revision that creates what the
 * database holds now — the introspected schema diffed against an empty one, so it
 * replays from base for `check --offline` and `autogen test` — then the database is
 * stamped at it and the migration log records it. Nothing in the database changes but
 * autogen's own version and log tables; TypeORM's bookkeeping stays where it is, and
 * outside the revision.
 */
import { downgradeFor, readDatabaseSchema } from "../autogenerate.js";
import type { DbConnection } from "../dialects/dialect.js";
import { diffSchemas } from "../diff/index.js";
import { UserError, categorized } from "../errors.js";
import { revisionChecksum } from "../revisions/checksum.js";
import { runInTransaction } from "../runtime/transaction.js";
import { emptySchema, TYPEORM_METADATA_TABLE, type SchemaIR } from "../schema/ir.js";
import { chooseRevisionId, writeRevisionFile } from "./revision.js";
import { Workspace, type CommonOptions } from "./workspace.js";
import { diffOptionsFor } from "../diff/options.js";

export interface BaselineOptions extends CommonOptions {
  /** The revision's message (default "baseline"). */
  message?: string;
  revId?: string;
  /** Clock for the file header (tests pin it). */
  now?: Date;
}

export interface BaselineResult {
  path: string;
  revision: string;
  /** Tables the revision creates. */
  tables: string[];
  /** TypeORM's bookkeeping tables found and left out of the revision. */
  leftOut: string[];
}

/** The columns of TypeORM's migrations table (MigrationExecutor), whatever `migrationsTableName` calls it. */
const TYPEORM_MIGRATIONS_COLUMNS = ["id", "name", "timestamp"];

/**
 * TypeORM's own tables in `schema`: its migrations table (named `migrations` by default,
 * recognised by its columns under another name) and `typeorm_metadata` — unless views
 * need the latter (a view's revision op writes its row there, as TypeORM does).
 */
export function typeormBookkeeping(schema: SchemaIR): string[] {
  const found: string[] = [];
  for (const table of schema.tables) {
    const columns = table.columns.map((c) => c.name).sort();
    const migrationsShape = columns.join() === TYPEORM_MIGRATIONS_COLUMNS.join();
    if (migrationsShape && /migrations/i.test(table.name)) found.push(table.name);
    if (table.name === TYPEORM_METADATA_TABLE && !(schema.views ?? []).length) found.push(table.name);
  }
  return found;
}

export async function baseline(options: BaselineOptions = {}): Promise<BaselineResult> {
  const ws = new Workspace(options);
  const graph = ws.graph();
  if (graph.size > 0) {
    throw categorized(
      `baseline: ${ws.config.versionsDir} already holds ${graph.size} revision(s); baseline starts a history. ` +
        "If this database matches them, run `autogen stamp head` instead (then `autogen check`)",
      "state",
    );
  }
  return ws.withConnection(async (conn) => {
    const rows = await ws.readHeads(conn);
    if (rows.length) {
      throw categorized(
        `baseline: the database is already stamped at ${rows.join(", ")}; it has a history to build on (\`autogen current\`)`,
        "state",
      );
    }
    const seen = await readDatabaseSchema(conn, ws.config, ws.dialect);
    const leftOut = typeormBookkeeping(seen);
    const schema = leftOut.length ? await readDatabaseSchema(conn, ws.config, ws.dialect, leftOut) : seen;
    if (schema.tables.length === 0 && schema.enums.length === 0 && !(schema.views ?? []).length) {
      throw new UserError(
        'baseline: the database holds no tables to adopt; start with `autogen revision --autogenerate -m "initial"` instead',
      );
    }
    const diff = diffSchemas(schema, emptySchema(ws.dialect.name), diffOptionsFor(ws.dialect));
    const revision = chooseRevisionId(graph, options.revId);
    const message = options.message?.trim() || "baseline";
    const file = await writeRevisionFile(ws, ws.config.versionsDir, {
      revision,
      downRevision: null,
      message,
      createdAt: options.now ?? new Date(),
      upgradeOps: diff.ops,
      downgradeOps: downgradeFor(diff.ops),
      findings: diff.findings,
    });
    ws.log(`Generating ${file} ... done`);
    for (const f of diff.findings) ws.log(`  ${f.kind}: ${f.message.split("\n")[0]}`);
    await stampBaseline(ws, conn, revision);
    if (leftOut.length) ws.log(`Left out TypeORM's own table(s): ${leftOut.join(", ")} (kept as they are)`);
    ws.log(`Stamped ${revision}: the database is at the baseline; autogenerate shows changes from here.`);
    return { path: file, revision, tables: schema.tables.map((t) => t.name), leftOut };
  });
}

/** The version row and the migration log's `baseline` row with the new file's checksum. */
async function stampBaseline(ws: Workspace, conn: DbConnection, revision: string): Promise<void> {
  const graph = ws.reloadGraph();
  await ws.ensureVersionTable(conn);
  const log = ws.migrationLog(conn);
  await log.ensure(graph, []);
  await runInTransaction(conn, ws.dialect, [ws.dialect.versionTable.insert(ws.config.versionTable, revision)]);
  await log.record({
    revision,
    action: "baseline",
    checksum: await revisionChecksum(graph.get(revision), ws.dialect.name),
    batch: await log.nextBatch(),
    durationMs: null,
  });
}
