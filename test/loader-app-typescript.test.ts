/**
 * The loader emits as the app's own TypeScript would. An app on TypeScript 5.x (a real
 * typescript@5 from the npm registry, shared with the packed-install test's template)
 * that leaves `strict` unset gets what its own `tsc` emits — `design:type String` for
 * `string | null` — where our compiler's own defaults (strict on since 6.0) would give
 * `Object`. The same project with TypeScript 6 gets Object, as its tsc would. Editing
 * any tsconfig of the `extends` chain, or changing the app's TypeScript, recompiles.
 * ESM files that declare `__filename`/`__dirname` from `import.meta.url` load, and a
 * load error names the `.ts` file and line.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTempDir, type TempDir } from "./helpers/databases.js";
import { RegistryUnreachable, templateDir } from "./helpers/packed-install.js";
import { REPO_ROOT } from "./helpers/project.js";
import { assertBuilt } from "./helpers/cli.js";

const DIST = path.join(REPO_ROOT, "dist");
const TS6 = path.join(REPO_ROOT, "node_modules/typescript");

/** The real TypeScript 5.x, or undefined (with a loud message) when the registry is unreachable. */
function typescript5(): string | undefined {
  try {
    return path.join(templateDir(), "node_modules/typescript");
  } catch (err) {
    if (!(err instanceof RegistryUnreachable) || process.env.CI === "true") throw err;
    console.warn(`\n!! ${err.message}\n!! TypeScript 5.x loader tests are SKIPPED: no typescript@5 could be installed.\n`);
    return undefined;
  }
}

const THING = `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

@Entity()
export class Thing {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ nullable: true })
  name: string | null;
}
`;

interface Report {
  nameType?: string;
  error?: string;
  stats?: { programCompiles: number; programCacheHits: number };
}

/** Reads the project's models in a new process, as a user's command would. */
function readInChild(dir: string, settings: Record<string, unknown> = { entities: ["src/entities/*.ts"] }): Report {
  const script = `
    import { resolveModelSource } from ${JSON.stringify(path.join(DIST, "models/index.js"))};
    import { loaderStats } from ${JSON.stringify(path.join(DIST, "load/program.js"))};
    try {
      const source = await resolveModelSource({ baseDir: ${JSON.stringify(dir)}, ...${JSON.stringify(settings)} });
      const thing = source.entities.find((e) => e.name === "Thing");
      const nameType = Reflect.getMetadata("design:type", thing.prototype, "name")?.name;
      process.stdout.write(JSON.stringify({ nameType, stats: loaderStats() }));
    } catch (err) {
      process.stdout.write(JSON.stringify({ error: err.message }));
    }
  `;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: dir, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as Report;
}

/** What the project's own `tsc` emits for `name`'s design:type. */
function ownTscNameType(dir: string, typescript: string): string {
  const out = path.join(dir, "own-build");
  // Type errors (no typeorm types here) do not stop tsc's emit, which is all we compare.
  spawnSync(process.execPath, [path.join(typescript, "bin/tsc"), "-p", dir, "--outDir", out, "--rootDir", path.join(dir, "src")]);
  const js = readFileSync(path.join(out, "entities/thing.js"), "utf8");
  rmSync(out, { recursive: true, force: true });
  const m = /__metadata\("design:type", (\w+)\)\s*\],\s*Thing\.prototype,\s*"name"/.exec(js);
  if (!m) throw new Error(`no design:type for name in:\n${js}`);
  return m[1] as string;
}

function linkTypeScript(dir: string, typescript: string): void {
  rmSync(path.join(dir, "node_modules/typescript"), { recursive: true, force: true });
  mkdirSync(path.join(dir, "node_modules"), { recursive: true });
  symlinkSync(typescript, path.join(dir, "node_modules/typescript"), "dir");
}

function project(tmp: TempDir, name: string, typescript: string | undefined, tsconfig: object): string {
  const dir = tmp.file(name);
  mkdirSync(path.join(dir, "src/entities"), { recursive: true });
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, private: true }));
  writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  writeFileSync(path.join(dir, "src/entities/thing.ts"), THING);
  if (typescript) linkTypeScript(dir, typescript);
  return dir;
}

/** A NestJS-like tsconfig: decorators on, `strict` left unset, `include` the sources. */
const UNSET_STRICT = {
  compilerOptions: { experimentalDecorators: true, emitDecoratorMetadata: true, module: "commonjs", skipLibCheck: true, types: [] },
  include: ["src"],
};

let tmp: TempDir;
let ts5: string | undefined;

beforeAll(() => {
  assertBuilt();
  tmp = createTempDir("autogen-app-ts-");
  ts5 = typescript5();
}, 600_000);

afterAll(() => tmp?.remove());

describe("options the tsconfig leaves unset take the app's TypeScript defaults", () => {
  it("TypeScript 5.x without strict: string | null is String, as the app's own tsc emits", (ctx) => {
    if (!ts5) return ctx.skip();
    const dir = project(tmp, "ts5", ts5, UNSET_STRICT);
    expect(ownTscNameType(dir, ts5)).toBe("String");
    expect(readInChild(dir)).toMatchObject({ nameType: "String" });
  });

  it("TypeScript 6 without strict: Object, as its own tsc emits (strict is on by default)", () => {
    const dir = project(tmp, "ts6", TS6, UNSET_STRICT);
    expect(ownTscNameType(dir, TS6)).toBe("Object");
    expect(readInChild(dir)).toMatchObject({ nameType: "Object" });
  });

  it("no TypeScript installed: 5.x defaults", () => {
    const dir = project(tmp, "none", undefined, UNSET_STRICT);
    expect(readInChild(dir)).toMatchObject({ nameType: "String" });
  });

  it("an explicit option wins over the default, from any file of the extends chain", (ctx) => {
    if (!ts5) return ctx.skip();
    const dir = project(tmp, "ts5-extends", ts5, { extends: "./tsconfig.base.json", include: ["src"] });
    writeFileSync(
      path.join(dir, "tsconfig.base.json"),
      JSON.stringify({ compilerOptions: { ...UNSET_STRICT.compilerOptions, strict: true } }),
    );
    expect(ownTscNameType(dir, ts5)).toBe("Object");
    expect(readInChild(dir)).toMatchObject({ nameType: "Object" });
  });
});

describe("the compile cache covers what changes the emit", () => {
  it("editing a tsconfig the project's extends, or its own, recompiles", (ctx) => {
    if (!ts5) return ctx.skip();
    const dir = project(tmp, "ts5-edit", ts5, { extends: "./tsconfig.base.json", include: ["src"] });
    const base = path.join(dir, "tsconfig.base.json");
    writeFileSync(base, JSON.stringify({ compilerOptions: { ...UNSET_STRICT.compilerOptions, strict: true } }));
    expect(readInChild(dir)).toMatchObject({ nameType: "Object", stats: { programCompiles: 1 } });
    expect(readInChild(dir)).toMatchObject({ nameType: "Object", stats: { programCompiles: 0, programCacheHits: 1 } });
    // The user turns strict off in the base file, as the error led them to.
    writeFileSync(base, JSON.stringify({ compilerOptions: { ...UNSET_STRICT.compilerOptions, strict: false } }));
    expect(readInChild(dir)).toMatchObject({ nameType: "String", stats: { programCompiles: 1 } });
    // And back on in the project's own tsconfig, over the base.
    writeFileSync(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({ extends: "./tsconfig.base.json", compilerOptions: { strictNullChecks: true }, include: ["src"] }),
    );
    expect(readInChild(dir)).toMatchObject({ nameType: "Object", stats: { programCompiles: 1 } });
  });

  it("upgrading the app's TypeScript from 5.x to 6 recompiles with the new defaults", (ctx) => {
    if (!ts5) return ctx.skip();
    const dir = project(tmp, "ts-upgrade", ts5, UNSET_STRICT);
    expect(readInChild(dir)).toMatchObject({ nameType: "String", stats: { programCompiles: 1 } });
    linkTypeScript(dir, TS6);
    expect(readInChild(dir)).toMatchObject({ nameType: "Object", stats: { programCompiles: 1 } });
  });
});

describe("ES-module idioms", () => {
  const ESM_TSCONFIG = {
    compilerOptions: { experimentalDecorators: true, emitDecoratorMetadata: true, module: "nodenext", target: "es2022", strict: false },
    include: ["src"],
  };
  const DATA_SOURCE = `import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DataSource } from "typeorm";

const __filename = fileURLToPath(import.meta.url);
const __dirname = dirname(__filename);

export default new DataSource({
  type: "postgres",
  entities: [join(__dirname, "entities/*.ts")],
});
`;

  function esmProject(name: string): string {
    const dir = project(tmp, name, TS6, ESM_TSCONFIG);
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name, private: true, type: "module" }));
    return dir;
  }

  it("a DataSource declaring __filename and __dirname from import.meta.url loads", () => {
    const dir = esmProject("esm-idiom");
    writeFileSync(path.join(dir, "src/data-source.ts"), DATA_SOURCE);
    expect(readInChild(dir, { dataSource: "src/data-source.ts" })).toMatchObject({ nameType: "String" });
  });

  it("an entity declaring them loads too, and import.meta.url is its own file", () => {
    const dir = esmProject("esm-entity");
    writeFileSync(
      path.join(dir, "src/entities/thing.ts"),
      `import { fileURLToPath } from "node:url";\nconst __filename = fileURLToPath(import.meta.url);\nvar __dirname = "not the wrapper's";\nexport const where = [__filename, __dirname];\n${THING}`,
    );
    const script = `
      import { resolveModelSource } from ${JSON.stringify(path.join(DIST, "models/index.js"))};
      import { loadModule } from ${JSON.stringify(path.join(DIST, "load/typescript.js"))};
      await resolveModelSource({ baseDir: ${JSON.stringify(dir)}, entities: ["src/entities/*.ts"] });
      process.stdout.write(JSON.stringify(loadModule(${JSON.stringify(path.join(dir, "src/entities/thing.ts"))}).where));
    `;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: dir, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([path.join(dir, "src/entities/thing.ts"), "not the wrapper's"]);
  });

  it("an error while a module loads names the .ts file and its line, not compiled JavaScript", () => {
    const dir = esmProject("esm-error");
    writeFileSync(
      path.join(dir, "src/data-source.ts"),
      DATA_SOURCE.replace("export default", `if (!process.env.NOPE_NOT_SET) throw new Error("NOPE_NOT_SET is not set");\n\nexport default`),
    );
    const line = DATA_SOURCE.split("\n").findIndex((l) => l.startsWith("export default")) + 1;
    const r = readInChild(dir, { dataSource: "src/data-source.ts" });
    expect(r.error).toContain(`${path.join(dir, "src/data-source.ts")}:${line}`);
    expect(r.error).toContain("NOPE_NOT_SET is not set");
  });

  it("a redeclared wrapper name that still cannot load names the .ts line", () => {
    const dir = esmProject("esm-require");
    // `require` is the one name the emitted CommonJS needs for itself.
    const source = `import { createRequire } from "node:module";\n\nconst require = createRequire(import.meta.url);\nexport const x = require("node:path");\n${THING}`;
    writeFileSync(path.join(dir, "src/entities/thing.ts"), source);
    const r = readInChild(dir);
    expect(r.error).toMatch(new RegExp(`${path.join(dir, "src/entities/thing.ts").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:3\\b`));
  });
});
