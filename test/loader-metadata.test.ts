/**
 * Decorator metadata as the project's own build emits it: for every fixture project,
 * the `design:type` of every decorated property of the classes autogen loads equals
 * what the real `tsc -p` (TypeScript 6, node_modules/typescript) emits for it.
 *
 * The tsc side is read from its output text (`__metadata("design:type", X)` inside
 * each `__decorate([...], Class.prototype, "prop")`), since tsc's output of a `paths`
 * or ESM project does not run as it is; autogen's side is what the loaded classes carry.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import "reflect-metadata";
import { afterAll, describe, expect, it } from "vitest";
import { resolveModelSource } from "../src/models/index.js";
import { settleDeferredDecorators } from "../src/models/metadata.js";
import { requireFromProject } from "../src/load/typescript.js";
import { createTempDir } from "./helpers/databases.js";
import { copyFixture, FIXTURE_PROJECTS, type FixtureCopy } from "./helpers/fixture-projects.js";
import { REPO_ROOT } from "./helpers/project.js";

const TSC6 = path.join(REPO_ROOT, "node_modules/typescript/bin/tsc");

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    return statSync(file).isDirectory() ? filesUnder(file) : [file];
  });
}

/** `String`, `kinds_1.Status`, `(typeof (_a = typeof X !== "undefined" && X) === "function" ? _a : Object)` -> a name. */
function typeName(expression: string): string {
  const guarded = /typeof \(\w+ = typeof ([\w$.]+) !== "undefined"/.exec(expression);
  const reference = guarded ? guarded[1] : expression.trim();
  return (reference ?? "").split(".").pop() ?? "";
}

/** "Class.prop" -> design:type name, from tsc's emitted JavaScript. */
function metadataOfEmit(files: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const decorate = /__decorate\(\[([\s\S]*?)\],\s*([\w$]+)\.prototype,\s*"([^"]+)"/g;
  for (const file of files) {
    const code = readFileSync(file, "utf8");
    for (const m of code.matchAll(decorate)) {
      const type = /__metadata\("design:type", ([^\n]*)\)\s*$/m.exec(m[1] as string);
      if (type) out.set(`${m[2]}.${m[3]}`, typeName(type[1] as string));
    }
  }
  return out;
}

/** The same keys, read from the classes autogen loaded. */
function metadataOfLoaded(entities: unknown[], keys: Iterable<string>): Map<string, string> {
  const classes = new Map(
    entities.filter((e): e is { name: string; prototype: object } => typeof e === "function").map((c) => [c.name, c]),
  );
  const out = new Map<string, string>();
  for (const key of keys) {
    const [className, prop] = key.split(".") as [string, string];
    const cls = classes.get(className);
    if (!cls) continue;
    const type = Reflect.getMetadata("design:type", cls.prototype, prop) as { name?: string } | undefined;
    out.set(key, type?.name ?? "(none)");
  }
  return out;
}

describe("design:type equals tsc -p's for every fixture project", () => {
  const copies: FixtureCopy[] = [];
  afterAll(() => copies.forEach((c) => c.remove()));

  it.each(FIXTURE_PROJECTS)("%s", async (name) => {
    const fixture = copyFixture(name);
    copies.push(fixture);
    const outDir = createTempDir("autogen-tsc6-");
    try {
      // The project's own build. Type errors (no typeorm installed in the copy) do not stop tsc's emit.
      try {
        execFileSync(
          process.execPath,
          [TSC6, "-p", path.join(fixture.dir, "tsconfig.json"), "--outDir", outDir.dir, "--rootDir", fixture.dir],
          {
            cwd: fixture.dir,
            stdio: "pipe",
          },
        );
      } catch {
        // exit code 2 = emitted with errors
      }
      const emitted = filesUnder(outDir.dir).filter((f) => /\.(js|mjs|cjs)$/.test(f));
      expect(emitted.length).toBeGreaterThan(0);
      const expected = metadataOfEmit(emitted);

      const { entities, dataSource } = fixture.settings;
      const source = await resolveModelSource({
        baseDir: fixture.dir,
        ...(dataSource ? { dataSource } : { entities: entities ?? [] }),
      });
      await settleDeferredDecorators(requireFromProject(source.projectDir, "typeorm") as never);
      const actual = metadataOfLoaded(source.entities, expected.keys());
      // Only classes of the entity set are compared (helpers compiled by tsc are not loaded as entities).
      const compared = new Map([...expected].filter(([key]) => actual.has(key)));
      expect(actual).toEqual(compared);
      const decorated = source.entities.some((e) => typeof e === "function");
      if (decorated) expect(compared.size).toBeGreaterThan(0);
    } finally {
      outDir.remove();
    }
  });

  it("sees imported aliases and enums as tsc does (String, Number), not Object", () => {
    // Guards the comparison above against both sides being wrong the same way.
    const fixture = copyFixture("type-alias");
    copies.push(fixture);
    const outDir = createTempDir("autogen-tsc6-");
    try {
      try {
        execFileSync(process.execPath, [TSC6, "-p", path.join(fixture.dir, "tsconfig.json"), "--outDir", outDir.dir], { stdio: "pipe" });
      } catch {
        // emitted with errors
      }
      const expected = metadataOfEmit(filesUnder(outDir.dir));
      expect(Object.fromEntries(expected)).toMatchObject({
        "Thing.kind": "String",
        "Thing.score": "Number",
        "Thing.slug": "String",
        "Thing.status": "String",
        "Thing.priority": "Number",
      });
    } finally {
      outDir.remove();
    }
  });
});
