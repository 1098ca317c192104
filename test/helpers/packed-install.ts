/**
 * The adopting user's first ten minutes, for real: autogen packed with `npm pack` and
 * installed into a fresh TypeScript 5.x + TypeORM 0.3 + pg project from the npm registry.
 *
 * The project's own dependencies are installed once into a template directory under
 * os.tmpdir(), named by their versions, and copied for each test file, so a warm run
 * needs the registry only for autogen's own dependencies (from npm's cache when it has
 * them). With the registry unreachable and no template, the tests skip with a loud
 * message, except under CI=true where they fail.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { REPO_ROOT } from "./project.js";

/** What a NestJS-style TypeORM 0.3 team has; `strict` left unset as in many such projects. */
export const TEMPLATE_PACKAGE = {
  name: "adopting-app",
  version: "1.0.0",
  private: true,
  scripts: { build: "tsc -p ." },
  dependencies: { pg: "^8.23.1", "reflect-metadata": "^0.2.2", typeorm: "~0.3.28" },
  devDependencies: { "@types/node": "^20.19.0", typescript: "~5.9.3" },
};

export const TEMPLATE_TSCONFIG = {
  compilerOptions: {
    module: "commonjs",
    target: "ES2021",
    declaration: true,
    removeComments: true,
    emitDecoratorMetadata: true,
    experimentalDecorators: true,
    allowSyntheticDefaultImports: true,
    sourceMap: true,
    outDir: "./dist",
    // TypeScript 7 removed baseUrl: a project still on 5.x commonly has it.
    baseUrl: "./",
    paths: { "@app/*": ["src/*"] },
    skipLibCheck: true,
  },
  include: ["src"],
};

/** The project's sources: uuid keys, `*.entity.ts` by feature, a path alias, a DataSource file. */
export const TEMPLATE_SOURCES: Record<string, string> = {
  "src/common/status.ts": `export type Status = "draft" | "published";\n`,
  "src/users/user.entity.ts": `import { Column, CreateDateColumn, Entity, OneToMany, PrimaryGeneratedColumn } from "typeorm";
import { Post } from "../posts/post.entity";

@Entity("users")
export class User {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ unique: true })
  email: string;

  // No explicit type: TypeScript 5.x without strict emits String here, and TypeORM needs it.
  @Column({ nullable: true })
  displayName: string | null;

  @CreateDateColumn()
  createdAt: Date;

  @OneToMany(() => Post, (post) => post.author)
  posts: Post[];
}
`,
  "src/posts/post.entity.ts": `import { Column, Entity, Index, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import type { Status } from "@app/common/status";
import { User } from "../users/user.entity";

@Entity("posts")
export class Post {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ length: 200 })
  title: string;

  @Column({ default: "draft" })
  status: Status;

  @Index()
  @ManyToOne(() => User, (user) => user.posts, { onDelete: "CASCADE" })
  author: User;
}
`,
  "src/data-source.ts": `import "reflect-metadata";
import { DataSource } from "typeorm";

export const AppDataSource = new DataSource({
  type: "postgres",
  url: process.env.DATABASE_URL,
  entities: [__dirname + "/**/*.entity{.ts,.js}"],
  migrations: [],
  synchronize: false,
});
`,
  // The judge: TypeORM 0.3's own schema builder over the project's own build output.
  "judge.cjs": `require("reflect-metadata");
const path = require("node:path");
const { DataSource } = require("typeorm");
const ds = new DataSource({ type: "postgres", url: process.env.DATABASE_URL, entities: [path.join(__dirname, "dist/**/*.entity.js")] });
ds.initialize()
  .then(async () => {
    const log = await ds.driver.createSchemaBuilder().log();
    process.stdout.write(JSON.stringify(log.upQueries.map((q) => q.query)));
    await ds.destroy();
  })
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
`,
};

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, timeoutMs = 240_000): Run {
  const r: SpawnSyncReturns<string> = spawnSync(cmd, args, {
    cwd,
    encoding: "utf8",
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: "1", npm_config_update_notifier: "false", ...env },
  });
  if (r.error) return { status: null, stdout: r.stdout ?? "", stderr: `${r.stderr ?? ""}\n${r.error.message}` };
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function describeRun(what: string, r: Run): string {
  return `${what} exited ${String(r.status)}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
}

const NETWORK_ERROR = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|network|request to .* failed/i;

/** Registry trouble, not ours: skip loudly, or fail under CI=true. */
export class RegistryUnreachable extends Error {}

function npm(args: string[], cwd: string): Run {
  return run("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], cwd);
}

function npmOrThrow(args: string[], cwd: string): Run {
  const r = npm(args, cwd);
  if (r.status !== 0) {
    if (NETWORK_ERROR.test(r.stderr))
      throw new RegistryUnreachable(`npm ${args.join(" ")}: ${r.stderr.trim().split("\n").slice(-3).join(" ")}`);
    throw new Error(describeRun(`npm ${args.join(" ")}`, r));
  }
  return r;
}

/** The template project with its dependencies installed, made once per set of versions. */
export function templateDir(): string {
  const key = createHash("sha256").update(JSON.stringify(TEMPLATE_PACKAGE)).digest("hex").slice(0, 12);
  const dir = path.join(tmpdir(), `autogen-adopting-template-${key}`);
  if (existsSync(path.join(dir, ".ready"))) return dir;
  const work = mkdtempSync(`${dir}.tmp-`);
  try {
    writeFileSync(path.join(work, "package.json"), JSON.stringify(TEMPLATE_PACKAGE, null, 2));
    npmOrThrow(["install"], work);
    writeFileSync(path.join(work, ".ready"), "");
    rmSync(dir, { recursive: true, force: true });
    renameSync(work, dir);
  } catch (err) {
    rmSync(work, { recursive: true, force: true });
    if (existsSync(path.join(dir, ".ready"))) return dir; // another process made it meanwhile
    throw err;
  }
  return dir;
}

export interface PackedTarball {
  file: string;
  files: string[];
}

/** `npm pack` of this repository (its dist/ as built; `npm test` builds first). */
export function packTarball(into: string): PackedTarball {
  if (!existsSync(path.join(REPO_ROOT, "dist/cli/main.js"))) throw new Error("dist/ is missing: run `npm run build` first");
  const r = npmOrThrow(["pack", "--ignore-scripts", "--json", "--pack-destination", into], REPO_ROOT);
  const info = (JSON.parse(r.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>)[0];
  if (!info) throw new Error(`npm pack printed no package: ${r.stdout}`);
  return { file: path.join(into, info.filename), files: info.files.map((f) => f.path) };
}

export interface AdoptingProject {
  dir: string;
  file(name: string): string;
  npm(args: string[]): Run;
  /** A command of the project's node_modules/.bin, as `npx <name>` runs it. */
  bin(name: string, args: string[], env?: NodeJS.ProcessEnv): Run;
  remove(): void;
}

/** A fresh copy of the template with the sources written; autogen not installed yet. */
export function createAdoptingProject(): AdoptingProject {
  const template = templateDir();
  const dir = mkdtempSync(path.join(tmpdir(), "autogen-adopting-"));
  cpSync(template, dir, { recursive: true, verbatimSymlinks: true });
  for (const [name, text] of Object.entries(TEMPLATE_SOURCES)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(TEMPLATE_TSCONFIG, null, 2));
  return {
    dir,
    file: (name) => path.join(dir, name),
    npm: (args) => npmOrThrow(args, dir),
    bin: (name, args, env = {}) => run(path.join(dir, "node_modules/.bin", name), args, dir, env),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Every command in node_modules/.bin and the file it runs. */
export function binTargets(dir: string): Map<string, string> {
  const bin = path.join(dir, "node_modules/.bin");
  const out = new Map<string, string>();
  if (!existsSync(bin)) return out;
  for (const name of readdirSync(bin)) out.set(name, realpathSync(path.join(bin, name)));
  return out;
}

/** Hash of every file the build wrote, to see that a build is unchanged. */
export function treeHash(dir: string): string {
  const h = createHash("sha256");
  const walk = (d: string) => {
    for (const name of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, name.name);
      if (name.isDirectory()) walk(p);
      else h.update(`${path.relative(dir, p)}\0`).update(readFileSync(p));
    }
  };
  if (existsSync(dir)) walk(dir);
  return h.digest("hex");
}
