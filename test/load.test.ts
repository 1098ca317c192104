import "reflect-metadata";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { UserError } from "../src/errors.js";
import { expandGlobs } from "../src/load/glob.js";
import { loadModule, requireFromProject } from "../src/load/typescript.js";
import { createTempDir } from "./helpers/databases.js";
import { MODELS_EXAMPLE_DIR } from "./helpers/project.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const EXAMPLE = path.join(MODELS_EXAMPLE_DIR, "entities");

const tmp = createTempDir("autogen-load-");
afterAll(() => tmp.remove());

function write(relative: string, text: string): string {
  const file = tmp.file(relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected a throw");
}

describe("loadModule: TypeScript with decorator metadata", () => {
  it("emits design:type metadata that TypeORM relies on", () => {
    const { Post } = loadModule(path.join(EXAMPLE, "Post.ts")) as { Post: { prototype: object } };
    expect(typeof Post).toBe("function");
    expect(Reflect.getMetadata("design:type", Post.prototype, "title")).toBe(String);
    expect(Reflect.getMetadata("design:type", Post.prototype, "createdAt")).toBe(Date);
    expect(Reflect.getMetadata("design:type", Post.prototype, "viewCount")).toBe(Number);
  });

  it("resolves ESM-style ./X.js imports to X.ts, extensionless ones too, and .mjs to .mts", () => {
    write("esm/b.ts", `export const b = "from b.ts";\n`);
    write("esm/c.ts", `export const c = "from c.ts";\n`);
    write("esm/d.mts", `export const d = "from d.mts";\n`);
    const a = write(
      "esm/a.ts",
      `import { b } from "./b.js";\nimport { c } from "./c";\nimport { d } from "./d.mjs";\nexport const all = [b, c, d];\n`,
    );
    expect(loadModule(a).all).toEqual(["from b.ts", "from c.ts", "from d.mts"]);
  });

  it("prefers a real .js file over the .ts fallback", () => {
    write("both/x.ts", `export const x = "ts";\n`);
    write("both/x.js", `exports.x = "js";\n`);
    const main = write("both/main.ts", `import { x } from "./x.js";\nexport const value = x;\n`);
    expect(loadModule(main).value).toBe("js");
  });

  it("rewrites import.meta.url / dirname / filename for CommonJS", () => {
    const file = write("meta/where.ts", `export const where = [import.meta.url, import.meta.dirname, import.meta.filename];\n`);
    expect(loadModule(file).where).toEqual([`file://${file}`, path.dirname(file), file]);
  });

  it("loads compiled CommonJS .js and ES module .js entity files", () => {
    const cjs = loadModule(path.join(ROOT, "fixtures/entities/library-js/Book.js"));
    const esm = loadModule(path.join(ROOT, "fixtures/entities/library-esm/Book.js"));
    expect(typeof cjs.Book).toBe("function");
    expect(typeof esm.Book).toBe("function");
    expect(esm.Book).not.toBe(cjs.Book);
  });

  it("wraps a module that exports a single class as { default }", () => {
    const file = write("single/thing.cjs", `module.exports = class Thing {};\n`);
    const mod = loadModule(file);
    expect(typeof mod.default).toBe("function");
    expect((mod.default as { name: string }).name).toBe("Thing");
  });
});

describe("loadModule: reloading", () => {
  it("keeps an unchanged module and re-evaluates one that changed on disk", () => {
    const file = write("reload/value.ts", `export const value = { n: 1 };\n`);
    const first = loadModule(file).value;
    expect(loadModule(file).value).toBe(first);
    write("reload/value.ts", `export const value = { n: 2 };\n`);
    expect(loadModule(file).value).toEqual({ n: 2 });
  });

  it("re-evaluates a dependent whose import changed, so both see the same class", () => {
    write("reload2/dep.ts", `export class Dep { static version = 1; }\n`);
    const main = write("reload2/main.ts", `import { Dep } from "./dep.js";\nexport const used = Dep;\n`);
    expect((loadModule(main).used as { version: number }).version).toBe(1);
    write("reload2/dep.ts", `export class Dep { static version = 2; }\n`);
    const fresh = loadModule(main).used;
    expect((fresh as { version: number }).version).toBe(2);
    expect(loadModule(tmp.file("reload2/dep.ts")).Dep).toBe(fresh);
  });
});

describe("loadModule: errors", () => {
  it("reports a TypeScript syntax error as one line naming file:line:column", () => {
    const file = write("broken/Broken.ts", `import { Entity } from "typeorm";\n\nexport class Broken {\n  id: number = ;\n}\n`);
    const err = thrown(() => loadModule(file));
    expect(err).toBeInstanceOf(UserError);
    const message = (err as Error).message;
    expect(message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:4:\\d+: syntax error: `));
    expect(message).not.toContain("\n");
  });

  it("names the entity file that imports a broken one", () => {
    write("nested/Bad.ts", `export const x = {;\n`);
    const main = write("nested/Main.ts", `import { x } from "./Bad.js";\nexport const y = x;\n`);
    const err = thrown(() => loadModule(main)) as Error;
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toContain(`${tmp.file("nested/Bad.ts")}:1:`);
  });

  it("reports a JavaScript syntax error with file:line", () => {
    const file = write("broken-js/bad.cjs", `const a = 1;\nconst = 2;\n`);
    const err = thrown(() => loadModule(file)) as Error;
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toMatch(/bad\.cjs:2: syntax error: /);
  });

  it("reports an exception thrown while loading, at its TypeScript line", () => {
    // The interface vanishes in the emitted JavaScript: only a source map gets line 7 right.
    const file = write(
      "throws/Throws.ts",
      `interface Unused {\n  a: number;\n  b: string;\n}\nconst ok: number = 1;\n\nthrow new TypeError("no database here " + ok);\n`,
    );
    const err = thrown(() => loadModule(file)) as Error;
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toBe(`${file}:7: failed to load: TypeError: no database here 1`);
  });

  it("reports a missing import in one line", () => {
    const file = write("missing/Main.ts", `import { Nope } from "./Nope.js";\nexport const x = Nope;\n`);
    const err = thrown(() => loadModule(file)) as Error;
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toContain("Cannot find module './Nope.js'");
    expect(err.message).not.toContain("\n");
  });

  it("reports a missing file", () => {
    const err = thrown(() => loadModule(tmp.file("does/not/exist.ts"))) as Error;
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toBe(`file not found: ${tmp.file("does/not/exist.ts")}`);
  });
});

describe("requireFromProject", () => {
  it("finds the project's typeorm, the one entity files load", () => {
    const fromProject = requireFromProject(ROOT, "typeorm");
    const entity = write("bare/Thing.ts", `import * as typeorm from "typeorm";\nexport const seen = typeorm;\n`);
    // A directory without node_modules falls back to autogen's own copy: still one TypeORM.
    expect(requireFromProject(tmp.dir, "typeorm")).toBe(fromProject);
    expect((loadModule(entity).seen as { DataSource: unknown }).DataSource).toBe((fromProject as { DataSource: unknown }).DataSource);
  });

  it("says which package is missing", () => {
    const err = thrown(() => requireFromProject(tmp.dir, "surely-not-installed-pkg")) as Error;
    expect(err).toBeInstanceOf(UserError);
    expect(err.message).toContain(`cannot find package "surely-not-installed-pkg"`);
  });
});

describe("expandGlobs", () => {
  const base = tmp.file("globs");
  const files = [
    "src/entities/User.ts",
    "src/entities/Post.ts",
    "src/entities/user.d.ts",
    "src/entities/nested/deep/Tag.ts",
    "src/entities/.hidden/Secret.ts",
    "src/entities/.Dot.ts",
    "src/other/Note.js",
    "src/other/Note.ts",
  ];
  for (const f of files) write(path.join("globs", f), "");
  const abs = (...names: string[]) => names.map((n) => path.join(base, n)).sort();

  it("matches * within one directory, skipping dotfiles", () => {
    expect(expandGlobs(["src/entities/*.ts"], base)).toEqual(abs("src/entities/Post.ts", "src/entities/User.ts", "src/entities/user.d.ts"));
  });

  it("matches ** across directories, skipping dot-directories", () => {
    expect(expandGlobs(["src/**/*.ts"], base)).toEqual(
      abs("src/entities/Post.ts", "src/entities/User.ts", "src/entities/user.d.ts", "src/entities/nested/deep/Tag.ts", "src/other/Note.ts"),
    );
    expect(expandGlobs(["src/entities/**"], base)).toContain(path.join(base, "src/entities/nested/deep/Tag.ts"));
  });

  it("expands {a,b} and deduplicates overlapping patterns", () => {
    expect(expandGlobs(["src/other/Note.{js,ts}", "src/other/*.ts"], base)).toEqual(abs("src/other/Note.js", "src/other/Note.ts"));
    expect(expandGlobs(["src/{entities,other}/{Note,User}.ts"], base)).toEqual(abs("src/entities/User.ts", "src/other/Note.ts"));
  });

  it("takes plain paths and absolute patterns, and ? and [..] classes", () => {
    expect(expandGlobs(["src/entities/User.ts", "src/entities/Missing.ts"], base)).toEqual(abs("src/entities/User.ts"));
    expect(expandGlobs([path.join(base, "src/entities/[PU]???.ts")], "/elsewhere")).toEqual(
      abs("src/entities/Post.ts", "src/entities/User.ts"),
    );
  });

  it("matches nothing rather than failing on a missing directory", () => {
    expect(expandGlobs(["nowhere/**/*.ts"], base)).toEqual([]);
  });
});
