/**
 * The loader's first-run and one-edit paths, each run a new process as a user's:
 * - revision files missing from the disk cache are transpiled by one TypeScript 7
 *   process (src/load/batch-transpile.ts), TypeScript 6 is never loaded, and the
 *   revisions they give record the same operations as the per-file transpile's;
 * - after an edit the entities' program is compiled incrementally from the previous
 *   emit: an untouched file's output is not written again, and an output that went
 *   missing from the cache is emitted again rather than trusted to the build info.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { outputPathOf } from "../src/load/compiler.js";
import { createTempDir, sqliteUrl, type TempDir } from "./helpers/databases.js";
import { copyFixture, type FixtureCopy } from "./helpers/fixture-projects.js";
import { REPO_ROOT } from "./helpers/project.js";
import { assertBuilt, spawnCli } from "./helpers/cli.js";

const DIST = path.join(REPO_ROOT, "dist");

/** A command as a process of its own (what one process leaves on disk is what the next one reads). */
function cli(fixture: FixtureCopy, args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnCli(args, { cwd: fixture.dir, env });
  if (r.status !== 0) throw new Error(`autogen ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return r;
}

interface RevisionReport {
  checksums: string[];
  typescriptLoaded: boolean;
  transpiles: number;
}

/** Loads the fixture's revision files in a new process: their ops checksums, and what the loader used. */
function loadRevisions(fixture: FixtureCopy, env: NodeJS.ProcessEnv = {}): RevisionReport {
  assertBuilt();
  const script = `
    import { createRequire } from "node:module";
    import { loadRevisionScripts } from ${JSON.stringify(path.join(DIST, "revisions/scripts.js"))};
    import { revisionChecksum } from ${JSON.stringify(path.join(DIST, "revisions/checksum.js"))};
    import { loaderStats } from ${JSON.stringify(path.join(DIST, "load/program.js"))};
    const scripts = loadRevisionScripts([${JSON.stringify(path.join(fixture.dir, "versions"))}]);
    const checksums = [];
    for (const s of scripts) checksums.push(await revisionChecksum(s, "sqlite"));
    const cache = Object.keys(createRequire(import.meta.url).cache);
    process.stdout.write(JSON.stringify({
      checksums,
      typescriptLoaded: cache.some((f) => /node_modules[\\\\/](typescript|ts-morph)[\\\\/]/.test(f)),
      transpiles: loaderStats().transpiles,
    }));
  `;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: fixture.dir,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as RevisionReport;
}

const cacheDir = (fixture: FixtureCopy) => path.join(fixture.dir, "node_modules/.cache/autogen");

describe("first run: revision files", () => {
  let fixture: FixtureCopy;
  let db: TempDir;
  afterEach(() => {
    fixture?.remove();
    db?.remove();
  });

  it("are transpiled by one TypeScript 7 run, with the ops the per-file transpile gives", () => {
    db = createTempDir();
    fixture = copyFixture("type-alias", { url: sqliteUrl(db) });
    cli(fixture, ["revision", "--autogenerate", "-m", "init"]);
    const kinds = path.join(fixture.dir, "src/domain/kinds.ts");
    writeFileSync(kinds, readFileSync(kinds, "utf8").replace("export type Score = number;", "export type Score = string;"));
    cli(fixture, ["upgrade", "head"]);
    cli(fixture, ["revision", "--autogenerate", "-m", "score as text"]);
    expect(readdirSync(path.join(fixture.dir, "versions")).filter((f) => f.endsWith(".ts"))).toHaveLength(2);

    rmSync(cacheDir(fixture), { recursive: true, force: true });
    const native = loadRevisions(fixture);
    expect(native.typescriptLoaded).toBe(false);
    expect(native.transpiles).toBe(0);
    expect(readdirSync(path.join(cacheDir(fixture), "transpiled")).filter((f) => f.endsWith(".js"))).toHaveLength(2);

    rmSync(cacheDir(fixture), { recursive: true, force: true });
    const perFile = loadRevisions(fixture, { AUTOGEN_COMPILER: "ts6" });
    expect(perFile.typescriptLoaded).toBe(true);
    expect(perFile.transpiles).toBe(2);
    expect(native.checksums).toEqual(perFile.checksums);
  });

  it("with a syntax error are left to the per-file transpile, which names the line", () => {
    db = createTempDir();
    fixture = copyFixture("type-alias", { url: sqliteUrl(db) });
    cli(fixture, ["revision", "--autogenerate", "-m", "init"]);
    const file = readdirSync(path.join(fixture.dir, "versions")).find((f) => f.endsWith(".ts")) as string;
    const revision = path.join(fixture.dir, "versions", file);
    writeFileSync(revision, readFileSync(revision, "utf8").replace("export function upgrade(", "export function upgrade(("));
    rmSync(cacheDir(fixture), { recursive: true, force: true });
    const r = spawnCli(["history"], { cwd: fixture.dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^autogen: error: ${revision.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+:\\d+: syntax error: `));
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});

describe("one edit: incremental compile of the entities", () => {
  let fixture: FixtureCopy;
  let db: TempDir;
  afterEach(() => {
    fixture?.remove();
    db?.remove();
  });

  function programOut(): string {
    const programs = path.join(cacheDir(fixture), "programs");
    const entries = readdirSync(programs).filter((d) => !d.includes(".tmp-"));
    expect(entries).toHaveLength(1);
    return path.join(programs, entries[0] as string, "out");
  }

  it("writes only what the edit affects, and re-emits an output that went missing", () => {
    db = createTempDir();
    fixture = copyFixture("type-alias", { url: sqliteUrl(db) });
    const thing = path.join(fixture.dir, "src/entities/thing.entity.ts");
    const kinds = path.join(fixture.dir, "src/domain/kinds.ts");
    cli(fixture, ["revision", "--autogenerate", "-m", "init"]);
    cli(fixture, ["upgrade", "head"]);
    const kindsWritten = statSync(outputPathOf(programOut(), kinds)).mtimeMs;

    writeFileSync(thing, `${readFileSync(thing, "utf8")}\n// edited\n`);
    cli(fixture, ["check"]);
    expect(readFileSync(outputPathOf(programOut(), thing), "utf8")).toContain("// edited");
    expect(statSync(outputPathOf(programOut(), kinds)).mtimeMs).toBe(kindsWritten);

    // An output deleted behind the cache's back: the next compile must emit it again.
    rmSync(outputPathOf(programOut(), kinds));
    writeFileSync(thing, `${readFileSync(thing, "utf8")}// edited again\n`);
    cli(fixture, ["check"]);
    expect(existsSync(outputPathOf(programOut(), kinds))).toBe(true);
    expect(readFileSync(outputPathOf(programOut(), thing), "utf8")).toContain("// edited again");

    // A type-only edit reaches the metadata through the background compile `revision`
    // starts: the score column becomes text.
    writeFileSync(kinds, readFileSync(kinds, "utf8").replace("export type Score = number;", "export type Score = string;"));
    cli(fixture, ["revision", "--autogenerate", "-m", "score as text"]);
    const written = readdirSync(path.join(fixture.dir, "versions")).filter((f) => f.endsWith("_score_as_text.ts"));
    expect(written).toHaveLength(1);
    expect(readFileSync(path.join(fixture.dir, "versions", written[0] as string), "utf8")).toMatch(/"score"[\s\S]*varchar/);
  });
});
