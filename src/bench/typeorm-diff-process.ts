/**
 * TypeORM's own schema diff as a user runs it, in a process of its own (the scale bench
 * spawns it beside `autogen check`): compile the .ts entities (TypeScript's transpiler,
 * decorator metadata on, as `tsc` would), load them into a DataSource, and ask
 * `driver.createSchemaBuilder().log()` what it would change.
 *
 * Usage: node dist/bench/typeorm-diff-process.js <postgres|sqlite> <url> <entitiesDir> <outDir> [logRuns]
 * Prints one JSON line: { pending, logMs[] } — pending is the number of up queries.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";

const require = createRequire(import.meta.url);

interface SchemaLog {
  upQueries: Array<{ query: string }>;
}
interface TypeOrmDataSource {
  initialize(): Promise<unknown>;
  destroy(): Promise<unknown>;
  driver: { createSchemaBuilder(): { log(): Promise<SchemaLog> } };
}

async function main(): Promise<void> {
  const [dialect, url, entitiesDir, outDir, runsArg] = process.argv.slice(2);
  if (!dialect || !url || !entitiesDir || !outDir)
    throw new Error("usage: typeorm-diff-process <dialect> <url> <entitiesDir> <outDir> [logRuns]");
  const ts = require("typescript") as typeof import("typescript");
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, "package.json"), JSON.stringify({ type: "module" }));
  const files = readdirSync(entitiesDir).filter((f) => f.endsWith(".ts"));
  for (const file of files) {
    const output = ts.transpileModule(readFileSync(path.join(entitiesDir, file), "utf8"), {
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
        useDefineForClassFields: false,
      },
      fileName: file,
    });
    writeFileSync(path.join(outDir, file.replace(/\.ts$/, ".js")), output.outputText);
  }
  const entities: unknown[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(path.join(outDir, file.replace(/\.ts$/, ".js"))).href)) as Record<string, unknown>;
    entities.push(...Object.values(module).filter((v) => typeof v === "function"));
  }
  // The project's typeorm, resolved from the entities' own directory as their imports are.
  const typeorm = createRequire(path.join(outDir, "x.js"))("typeorm") as {
    DataSource: new (options: Record<string, unknown>) => TypeOrmDataSource;
  };
  const options =
    dialect === "postgres"
      ? { type: "postgres", url, entities }
      : { type: "better-sqlite3", database: url.replace(/^sqlite:(\/\/)?/, ""), entities };
  const ds = new typeorm.DataSource(options);
  await ds.initialize();
  const logMs: number[] = [];
  let pending = 0;
  try {
    for (let i = 0; i < Number(runsArg ?? 1); i++) {
      const start = performance.now();
      const log = await ds.driver.createSchemaBuilder().log();
      logMs.push(performance.now() - start);
      pending = log.upQueries.length;
    }
  } finally {
    await ds.destroy();
  }
  process.stdout.write(JSON.stringify({ pending, logMs }) + "\n");
}

main().catch((err: unknown) => {
  process.stderr.write(`typeorm-diff-process: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
