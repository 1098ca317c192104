/**
 * Online revisions on PostgreSQL (issue 18), on a small `events` table with a writer on
 * a second connection: what each online form runs and which lock it waits for (seen in
 * pg_locks while another session holds the table), no writer error, no lost write, the
 * result equal to the models; a run interrupted at each step (its backend terminated
 * while it waits there) or killed during the backfill resumes on the next upgrade; a
 * failed concurrent build leaves no INVALID index, and one left by someone else is
 * dropped and built again; a lock that never comes stops the run with one line, and the
 * next run resumes. The big figures are the benchmark's (npm run bench, section 11).
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { check, downgrade, lint, revision, upgrade } from "../src/api/index.js";
import { getDialect } from "../src/dialects/index.js";
import type { SchemaIR } from "../src/schema/ir.js";
import { CHANGE_KINDS, fillStatements, writeOnlineProject, type OnlineProject } from "../src/bench/online-project.js";
import { createPgDatabase, createTempDir, pgAvailable, type TempDir, type TestPgDatabase } from "./helpers/databases.js";
import { ptyAvailable, runOnPty } from "./helpers/pty.js";

const PG = await pgAvailable();
const EVENTS = 2000;
const ALL = new Set(CHANGE_KINDS);
const MIGRATOR = "autogen_migrator";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  // A connection the test terminates (or drops with its database) must not crash the run.
  client.on("error", () => {});
  await client.connect();
  return client;
}

/** Inserts (payload 'writer') and updates in a loop on its own connection until stopped. */
function startWriter(url: string) {
  let stopping = false;
  let written = 0;
  const errors: string[] = [];
  const done = (async () => {
    const c = await connect(url);
    try {
      while (!stopping) {
        try {
          await c.query("BEGIN");
          await c.query(`INSERT INTO events ("accountId", kind, score, payload) VALUES (1 + floor(random() * 10)::int, 'w', 1, 'writer')`);
          await c.query(`UPDATE events SET score = score + 1 WHERE id = 1 + floor(random() * ${EVENTS})::int`);
          await c.query("COMMIT");
          written += 1;
        } catch (err) {
          errors.push((err as Error).message);
          await c.query("ROLLBACK").catch(() => undefined);
        }
        await sleep(5);
      }
    } finally {
      await c.end();
    }
  })();
  return {
    async stop() {
      stopping = true;
      await done;
      return { written, errors };
    },
  };
}

interface Setup {
  db: TestPgDatabase;
  tmp: TempDir;
  project: OnlineProject;
  client: pg.Client;
}

/** A database at the "before" models with rows, and a project whose models are the "after" ones. */
async function setup(settings: Record<string, unknown> = {}): Promise<Setup> {
  const db = await createPgDatabase("autogen_online");
  const tmp = createTempDir("autogen-online-");
  // Named, so a test can tell autogen's backend from the writer's in pg_stat_activity.
  const project = writeOnlineProject(tmp.dir, `${db.url}?application_name=${MIGRATOR}`, settings);
  await revision({ config: project.config, message: "base", autogenerate: true, revId: "r0" });
  await upgrade({ config: project.config, target: "head" });
  const client = await connect(db.url);
  for (const sql of fillStatements(10, EVENTS)) await client.query(sql);
  project.models(ALL);
  return { db, tmp, project, client };
}

async function teardown(s: Setup | undefined): Promise<void> {
  if (!s) return;
  await s.client.end().catch(() => undefined);
  await s.db.drop();
  s.tmp.remove();
}

/** The database's schema as autogen reads it, columns in name order (a swap moves a column to the end). */
async function schemaOf(url: string): Promise<SchemaIR> {
  const dialect = getDialect("postgres");
  const conn = await dialect.connect(url);
  try {
    const ir = await dialect.introspect(conn, {
      versionTable: "autogen_version",
      excludeTables: ["autogen_version_log", "autogen_version_online"],
    });
    for (const t of ir.tables) t.columns.sort((a, b) => (a.name < b.name ? -1 : 1));
    return ir;
  } finally {
    await conn.close();
  }
}

/** Models and database agree, no index is INVALID and no constraint is left NOT VALID. */
async function expectMatchesModels(s: Setup): Promise<void> {
  const result = await check({ config: s.project.config });
  expect(result.ops).toEqual([]);
  expect(result.ok).toBe(true);
  const invalid = await s.client.query("SELECT count(*)::int AS n FROM pg_index WHERE NOT indisvalid");
  expect(invalid.rows[0].n).toBe(0);
  const notValid = await s.client.query(
    "SELECT conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public' AND NOT c.convalidated",
  );
  expect(notValid.rows).toEqual([]);
  const leftovers = await s.client.query(
    "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal UNION ALL SELECT conname FROM pg_constraint WHERE conname LIKE 'CHK_autogen%'",
  );
  expect(leftovers.rows).toEqual([]);
}

/**
 * Holds SHARE UPDATE EXCLUSIVE on `events` (which every online step but the backfill's
 * row locks conflicts with) and lets the migration through one step at a time: each
 * time it waits, `onWait` sees the statement and the lock mode it waits for.
 */
async function stepThrough<T>(
  url: string,
  start: () => Promise<T>,
  onWait: (wait: { pid: number; mode: string; query: string }, n: number) => Promise<"release" | "stop">,
): Promise<{ run: Promise<T> }> {
  const blocker = await connect(url);
  const watcher = await connect(url);
  // The table is held before the run starts: a run already inside CREATE INDEX CONCURRENTLY
  // (which waits for every open transaction) would deadlock with a LOCK that comes later.
  await blocker.query("BEGIN");
  await blocker.query("LOCK TABLE events IN SHARE UPDATE EXCLUSIVE MODE");
  const run = start();
  let finished = false;
  const ended = run.then(
    () => (finished = true),
    () => (finished = true),
  );
  try {
    let n = 0;
    let seenPid: number | undefined;
    while (!finished) {
      const waits = await watcher.query<{ pid: number; mode: string; query: string }>(
        `SELECT l.pid, l.mode, a.query FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE NOT l.granted AND l.relation = 'events'::regclass AND a.application_name = $1`,
        [MIGRATOR],
      );
      const wait = waits.rows[0];
      if (!wait || wait.pid === seenPid) {
        await sleep(10);
        continue;
      }
      n += 1;
      const next = await onWait(wait, n);
      if (next === "stop") break;
      // Let this step through, then take the table back as soon as the step commits.
      await blocker.query("COMMIT");
      await blocker.query("BEGIN");
      seenPid = undefined;
      const relock = blocker.query("LOCK TABLE events IN SHARE UPDATE EXCLUSIVE MODE");
      // Wait until the step holds its lock (our request queues behind it) or the run ended.
      await Promise.race([relock, ended]);
      await relock.catch(() => undefined);
    }
  } finally {
    await blocker.query("COMMIT").catch(() => undefined);
    await blocker.end();
    await watcher.end();
    await ended;
  }
  return { run };
}

describe.skipIf(!PG)("online revisions on PostgreSQL", () => {
  describe("the generated revision, its statements and its locks", () => {
    let s: Setup | undefined;
    let file = "";
    let before: SchemaIR | undefined;
    beforeAll(async () => {
      s = await setup({ onlineLockTimeout: "20s" });
      before = await schemaOf(s.db.url);
      const result = await revision({ config: s.project.config, message: "changes", autogenerate: true, online: true, revId: "online1" });
      if (!result.written) throw new Error("no revision written");
      file = readFileSync(result.path, "utf8");
    }, 120_000);
    afterAll(() => teardown(s));

    it("writes the lock-safe form of each change, readable in the file", () => {
      expect(file).toContain("export const online = true;");
      expect(file).toMatch(/op\.createIndex\(\s*"IDX_events_account_created",[\s\S]*?\{ concurrently: true \}/);
      expect(file).toMatch(/op\.createForeignKeyNotValid\(\s*"FK_events_account"/);
      expect(file).toMatch(/op\.validateConstraint\("events", "FK_events_account"\)/);
      expect(file).toMatch(/op\.createCheckNotValid\(\s*"CHK_autogen_events_kind_not_null"/);
      expect(file).toMatch(/op\.alterColumn\("events", "kind", \{ nullable: \{ from: true, to: false \} \}\)/);
      expect(file).toMatch(/op\.createSyncTrigger\("events", "score", "score__new"\)/);
      expect(file).toMatch(/op\.backfill\("events", \{ score__new: '"score"' \}\)/);
      expect(file).toMatch(/op\.swapColumn\("events", "score", "score__new"/);
      // No plain rewrite, no scan under a lock writers wait on.
      expect(file).not.toMatch(/op\.alterColumn\("events", "score"/);
      expect(file).not.toMatch(/op\.createForeignKey\(/);
      // The downgrade is online too.
      const down = file.slice(file.indexOf("export function downgrade"));
      expect(down).toMatch(/op\.dropIndex\([\s\S]*?\{ concurrently: true \}/);
      expect(down).toMatch(/op\.swapColumn\("events", "score", "score__new"/);
    });

    it("passes the locking lint rules (index-not-concurrent, foreign-key-not-valid, type-change-rewrite, …)", async () => {
      const report = await lint({ config: s!.project.config, range: "online1" });
      const found = report.revisions.flatMap((r) => r.findings.map((f) => `${r.revision} ${f.direction} ${f.rule}`));
      expect(found).toEqual([]);
      expect(report.revisions.map((r) => r.notLinted)).toEqual([undefined]);
    });

    it("--sql spells out each step's transaction, lock_timeout and the backfill's batches", async () => {
      const { sql } = (await upgrade({ config: s!.project.config, target: "r0:head", sql: true })) as { sql: string };
      const online = sql.slice(sql.indexOf("-- Running upgrade r0 -> online1"));
      expect(online).toContain("SET LOCAL lock_timeout = '20000ms';");
      expect(online).toContain(`CREATE INDEX CONCURRENTLY "IDX_events_account_created" ON "events" ("accountId", "createdAt");`);
      expect(online).toMatch(/ADD CONSTRAINT "FK_events_account" FOREIGN KEY \("accountId"\) REFERENCES "accounts"\("id"\) .* NOT VALID;/);
      expect(online).toContain(`ALTER TABLE "events" VALIDATE CONSTRAINT "FK_events_account";`);
      expect(online).toContain(`CHECK ("kind" IS NOT NULL) NOT VALID;`);
      expect(online).toMatch(/DO \$autogen\$[\s\S]*LIMIT 5000[\s\S]*COMMIT;[\s\S]*END \$autogen\$;/);
      expect(online).toContain(`ALTER TABLE "events" RENAME COLUMN "score__new" TO "score";`);
      expect(online).not.toMatch(/ALTER COLUMN "score" TYPE/);
    });

    it("each step waits only for its own lock: VALIDATE and CONCURRENTLY let writes in", async () => {
      const writer = startWriter(s!.db.url);
      const waits: { mode: string; query: string }[] = [];
      const { run } = await stepThrough(
        s!.db.url,
        () => upgrade({ config: s!.project.config, target: "head" }),
        async (wait) => {
          waits.push({ mode: wait.mode, query: wait.query.replace(/\s+/g, " ") });
          return "release";
        },
      );
      await run;
      const { written, errors } = await writer.stop();
      const modeOf = (re: RegExp) => waits.filter((w) => re.test(w.query)).map((w) => w.mode);
      expect(modeOf(/CREATE INDEX CONCURRENTLY/)).toEqual(["ShareUpdateExclusiveLock"]);
      expect(modeOf(/VALIDATE CONSTRAINT "FK_events_account"/)).toEqual(["ShareUpdateExclusiveLock"]);
      expect(modeOf(/VALIDATE CONSTRAINT "CHK_autogen_events_kind_not_null"/)).toEqual(["ShareUpdateExclusiveLock"]);
      expect(modeOf(/FOREIGN KEY .* NOT VALID/)).toEqual(["ShareRowExclusiveLock"]);
      // The ACCESS EXCLUSIVE steps are the ones that touch no row: a check added NOT VALID,
      // SET NOT NULL after a validated check, the swap, new columns.
      for (const w of waits.filter((w) => w.mode === "AccessExclusiveLock")) {
        expect(w.query).toMatch(/NOT VALID|SET NOT NULL|DROP CONSTRAINT|ADD "|DROP TRIGGER|DROP COLUMN|RENAME COLUMN|SET DEFAULT/);
      }
      expect(waits.some((w) => /ALTER COLUMN "score" TYPE|^CREATE INDEX "/.test(w.query))).toBe(false);
      expect(errors).toEqual([]);
      expect(written).toBeGreaterThan(0);
      const present = await s!.client.query("SELECT count(*)::int AS n FROM events WHERE payload = 'writer'");
      expect(present.rows[0].n).toBe(written);
      const scores = await s!.client.query("SELECT count(*)::int AS n FROM events WHERE score IS NULL");
      expect(scores.rows[0].n).toBe(0);
      await expectMatchesModels(s!);
    }, 120_000);

    it("downgrades online to the schema it started from", async () => {
      const writer = startWriter(s!.db.url);
      await downgrade({ config: s!.project.config, target: "r0" });
      const { errors } = await writer.stop();
      expect(errors).toEqual([]);
      expect(await schemaOf(s!.db.url)).toEqual(before);
      const leftovers = await s!.client.query(
        "SELECT count(*)::int AS n FROM pg_index WHERE NOT indisvalid UNION ALL SELECT count(*)::int FROM pg_trigger WHERE NOT tgisinternal",
      );
      expect(leftovers.rows.map((r) => r.n)).toEqual([0, 0]);
      s!.project.models(ALL);
    }, 120_000);
  });

  describe("a run interrupted at any step resumes on the next upgrade", () => {
    let s: Setup | undefined;
    beforeAll(async () => {
      s = await setup({ onlineLockTimeout: "20s" });
      await revision({ config: s.project.config, message: "changes", autogenerate: true, online: true, revId: "online1" });
    }, 120_000);
    afterAll(() => teardown(s));

    it("its backend terminated while it waits at step n, for every n", async () => {
      const progress = async () =>
        (await s!.client.query("SELECT step, done FROM autogen_version_online ORDER BY step")).rows as { step: number; done: number }[];
      for (let n = 1; ; n++) {
        let interrupted = false;
        // The first run stops at its first step; each later one (which resumes) does one more step and stops at the next.
        const { run } = await stepThrough(
          s!.db.url,
          () => upgrade({ config: s!.project.config, target: "head" }),
          async (wait, seen) => {
            if (seen < (n === 1 ? 1 : 2)) return "release";
            await s!.client.query("SELECT pg_terminate_backend($1)", [wait.pid]);
            interrupted = true;
            return "stop";
          },
        );
        const outcome = await run.then(
          () => "applied",
          (err: Error) => err.message,
        );
        if (!interrupted) {
          expect(outcome).toBe("applied");
          // Every step but the backfill waited for the table, and was interrupted there once.
          expect(n - 1).toBeGreaterThanOrEqual(12);
          break;
        }
        expect(outcome).not.toBe("applied");
        // The steps before the one interrupted stay done; the version row is not written.
        const rows = await progress();
        expect(rows.filter((r) => Number(r.done) === 1).length).toBeGreaterThanOrEqual(n - 1 > 0 ? 1 : 0);
        expect((await s!.client.query("SELECT version_num FROM autogen_version")).rows).toEqual([{ version_num: "r0" }]);
      }
      expect(await progress()).toEqual([]);
      await expectMatchesModels(s!);
    }, 300_000);
  });

  describe("the backfill, killed with SIGKILL, resumes after the last batch", () => {
    let s: Setup | undefined;
    beforeAll(async () => {
      s = await setup();
      s.project.models(new Set(["bigint"]));
      const result = await revision({ config: s.project.config, message: "bigint", autogenerate: true, online: true, revId: "big" });
      if (!result.written) throw new Error("no revision");
      // Small batches with a pause, so the kill lands mid-backfill.
      const text = readFileSync(result.path, "utf8").replace(
        `op.backfill("events", { score__new: '"score"' });`,
        `op.backfill("events", { score__new: '"score"' }, { batchSize: 100, pause: 100 });`,
      );
      writeFileSync(result.path, text);
    }, 120_000);
    afterAll(() => teardown(s));

    it("keeps the batches done, resumes from the saved key, and loses no write", async () => {
      const { spawn } = await import("node:child_process");
      const writer = startWriter(s!.db.url);
      const child = spawn(process.execPath, [path.resolve("dist/cli/main.js"), "upgrade", "head", "--config", s!.project.config], {
        stdio: "ignore",
      });
      let cursor: string | null = null;
      for (let i = 0; i < 2000 && cursor === null; i++) {
        const rows = await s!.client
          .query("SELECT cursor FROM autogen_version_online WHERE cursor IS NOT NULL")
          .then((r) => r.rows as { cursor: string }[])
          .catch(() => []);
        cursor = rows[0]?.cursor ?? null;
        if (cursor === null) await sleep(20);
      }
      expect(cursor).not.toBeNull();
      child.kill("SIGKILL");
      await new Promise((r) => child.on("exit", r));
      const saved = Number((await s!.client.query("SELECT cursor FROM autogen_version_online WHERE cursor IS NOT NULL")).rows[0].cursor);
      expect(saved).toBeGreaterThan(0);
      expect(saved).toBeLessThan(EVENTS);
      // Rows past the saved key and never written by the app are not filled yet.
      const lines: string[] = [];
      await upgrade({ config: s!.project.config, target: "head", log: (l) => lines.push(l) });
      expect(lines.join("\n")).toMatch(/resuming: \d+ of \d+ step\(s\) were done/);
      const { written, errors } = await writer.stop();
      expect(errors).toEqual([]);
      const present = await s!.client.query("SELECT count(*)::int AS n FROM events WHERE payload = 'writer'");
      expect(present.rows[0].n).toBe(written);
      const type = await s!.client.query(
        "SELECT data_type FROM information_schema.columns WHERE table_name = 'events' AND column_name = 'score'",
      );
      expect(type.rows[0].data_type).toBe("bigint");
      await expectMatchesModels(s!);
    }, 120_000);
  });

  describe("concurrent index builds and locks that do not come", () => {
    let s: Setup | undefined;
    beforeAll(async () => {
      s = await setup({ onlineLockTimeout: "100ms", onlineRetries: 2, onlineRetryDelay: "50ms" });
      s.project.models(new Set(["index", "foreignKey"]));
      await revision({ config: s.project.config, message: "index", autogenerate: true, online: true, revId: "idx" });
    }, 120_000);
    afterAll(() => teardown(s));

    it("a lock held elsewhere stops the run with one line; the next run resumes", async () => {
      const holder = await connect(s!.db.url);
      await holder.query("BEGIN");
      // Reads go on (SHARE ROW EXCLUSIVE lets the app read and autogen introspect); the key cannot be added.
      await holder.query("LOCK TABLE accounts IN SHARE ROW EXCLUSIVE MODE");
      const error = await upgrade({ config: s!.project.config, target: "head" }).then(
        () => undefined,
        (err: Error) => err,
      );
      await holder.query("ROLLBACK");
      await holder.end();
      expect(error?.message).toMatch(/could not take its lock within lock_timeout \(100 ms\) in 3 tries/);
      expect(error?.message).toContain("run upgrade again to resume");
      expect(error?.message.split("\n")).toHaveLength(1);
      // The index step before it is done and stays; the version row is not written.
      const done = await s!.client.query("SELECT step FROM autogen_version_online WHERE done = 1");
      expect(done.rows.length).toBeGreaterThan(0);
      const lines: string[] = [];
      await upgrade({ config: s!.project.config, target: "head", log: (l) => lines.push(l) });
      expect(lines.join("\n")).toContain("resuming:");
      await expectMatchesModels(s!);
    }, 120_000);

    it("an INVALID index left by a failed build is dropped and built again; a failing build leaves none", async () => {
      await downgrade({ config: s!.project.config, target: "r0" });
      // A concurrent build that fails (duplicates) leaves an INVALID index under the name.
      await s!.client.query(`CREATE UNIQUE INDEX CONCURRENTLY "IDX_events_account_created" ON events ("accountId")`).catch(() => undefined);
      const before = await s!.client.query(
        `SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'IDX_events_account_created'`,
      );
      expect(before.rows).toEqual([{ indisvalid: false }]);
      await upgrade({ config: s!.project.config, target: "head" });
      await expectMatchesModels(s!);

      // A unique index over duplicates cannot be built: the run fails, nothing INVALID stays.
      const file = path.join(s!.project.dir, "versions", "dup.ts");
      writeFileSync(
        file,
        `export const revision = "dup";\nexport const downRevision = "idx";\nexport const online = true;\n` +
          `export function upgrade(op) { op.createIndex("UQ_events_kind", "events", ["kind"], { unique: true, concurrently: true }); }\n` +
          `export function downgrade(op) { op.dropIndex("UQ_events_kind", "events", ["kind"], { concurrently: true }); }\n`,
      );
      const error = await upgrade({ config: s!.project.config, target: "head" }).then(
        () => undefined,
        (err: Error) => err,
      );
      expect(error?.message).toMatch(/could not create unique index "UQ_events_kind"/);
      const left = await s!.client.query("SELECT count(*)::int AS n FROM pg_index WHERE NOT indisvalid");
      expect(left.rows[0].n).toBe(0);
    }, 120_000);
  });

  describe("op.backfill by hand", () => {
    let s: Setup | undefined;
    beforeAll(async () => {
      s = await setup();
      s.project.models(new Set());
      writeFileSync(
        path.join(s.project.dir, "versions", "fill.ts"),
        `export const revision = "fill";\nexport const downRevision = "r0";\n` +
          `export function upgrade(op) { op.backfill("events", { payload: "'filled ' || id" }, { where: "payload = 'seed'", batchSize: 300 }); }\n` +
          `export function downgrade(op) { op.backfill("events", { payload: "'seed'" }, { where: "payload LIKE 'filled %'" }); }\n`,
      );
      writeFileSync(
        path.join(s.project.dir, "versions", "fill2.ts"),
        `export const revision = "fill2";\nexport const downRevision = "fill";\nexport const online = true;\n` +
          `export function upgrade(op) { op.backfill("events", { score: "score + 1" }, { batchSize: 300, pause: 1 }); }\n` +
          `export function downgrade(op) { op.backfill("events", { score: "score - 1" }, { batchSize: 300 }); }\n`,
      );
    }, 120_000);
    afterAll(() => teardown(s));

    it("is one UPDATE in a plain revision and batches in an online one, in --sql and when run", async () => {
      const { sql } = (await upgrade({ config: s!.project.config, target: "r0:head", sql: true })) as { sql: string };
      expect(sql).toContain(`UPDATE "events" SET "payload" = 'filled ' || id WHERE payload = 'seed';`);
      expect(sql).toMatch(/DO \$autogen\$[\s\S]*LIMIT 300[\s\S]*SET "score" = score \+ 1[\s\S]*PERFORM pg_sleep\(0\.001\);/);
      const before = await s!.client.query("SELECT sum(score)::int AS n FROM events");
      await upgrade({ config: s!.project.config, target: "head" });
      const filled = await s!.client.query("SELECT count(*)::int AS n FROM events WHERE payload LIKE 'filled %'");
      expect(filled.rows[0].n).toBe(EVENTS);
      const after = await s!.client.query("SELECT sum(score)::int AS n FROM events");
      expect(after.rows[0].n).toBe(before.rows[0].n + EVENTS);
      await downgrade({ config: s!.project.config, target: "r0" });
      const back = await s!.client.query("SELECT count(*)::int AS n FROM events WHERE payload = 'seed'");
      expect(back.rows[0].n).toBe(EVENTS);
      // On a terminal the status line counts the batches' rows (the table's size makes it show).
      if (ptyAvailable()) {
        // The line's total is the planner's estimate: statistics must exist (autovacuum may not have run yet).
        await s!.client.query("ANALYZE events");
        writeFileSync(
          path.join(s!.project.dir, "versions", "fill3.ts"),
          `export const revision = "fill3";\nexport const downRevision = "fill2";\nexport const online = true;\n` +
            `export function upgrade(op) { op.backfill("events", { score: "score" }, { batchSize: 100, pause: 150 }); }\n` +
            `export function downgrade(op) {}\n`,
        );
        const tty = await runOnPty([process.execPath, path.resolve("dist/cli/main.js"), "upgrade", "head", "--config", s!.project.config], {
          cwd: s!.project.dir,
          // A terminal outside CI: the status line is off where CI is set (as under .ci/run).
          env: { ...process.env, CI: "false", TERM: "xterm-256color" },
          timeoutMs: 60_000,
        });
        expect(tty.status).toBe(0);
        expect(tty.output).toMatch(/backfill events: [\d,]+ of ~2,000 rows/);
      }
      // The backfills change no schema: replayed offline, the revisions still match the models.
      const offline = await check({ config: s!.project.config, offline: true });
      expect(offline.ops).toEqual([]);
    }, 120_000);
  });
});
