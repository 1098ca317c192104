/**
 * The one way tests run the `autogen` command.
 *
 * `runCli` calls `main(argv)` of src/cli/run.ts in this process: it tests the source
 * as it is now (never a stale dist/), and costs no process start (0.3-0.5 s each). For
 * the call it moves into `cwd`, applies the `env` overrides and captures what is
 * written to stdout and stderr; afterwards it puts all of them back, with
 * process.exitCode. Calls run one at a time, in the order made, since cwd, env and the
 * streams belong to the whole process. Stdin, stdout and stderr look like pipes, as
 * for a command run in CI: no prompts, no colours, no status line.
 *
 * `spawnCli` runs the built dist/cli/main.js as a user does, for what one process
 * cannot show: signals, exit on a closed pipe, two commands racing, the shebang and
 * start-up, a real terminal. It refuses to run a dist/ older than src/ (a silent stale
 * build would test old code).
 */
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { format } from "node:util";
import { main } from "../../src/cli/run.js";
import { REPO_ROOT } from "./project.js";

export const BIN = path.join(REPO_ROOT, "dist/cli/main.js");

export interface CliResult {
  /** The exit code (spawnCli: null when a signal ended the process). */
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd: string;
  /**
   * Variables to set for the command (undefined: unset). AUTOGEN_DATABASE_URL
   * and DATABASE_URL are unset unless given, so a developer's own never reaches a test.
   */
  env?: NodeJS.ProcessEnv;
}

export interface SpawnOptions extends CliOptions {
  /** Piped to stdin (default: empty, so stdin is not a terminal). */
  input?: string;
}

const DEFAULT_ENV: NodeJS.ProcessEnv = { AUTOGEN_DATABASE_URL: "", DATABASE_URL: "" };

type Write = typeof process.stdout.write;

/** Makes `stream` look like a pipe for the call; returns how to undo it. */
function asPipe(stream: NodeJS.WriteStream | NodeJS.ReadStream): () => void {
  const saved = (["isTTY", "columns"] as const).map((key) => [key, Object.getOwnPropertyDescriptor(stream, key)] as const);
  for (const [key] of saved) Object.defineProperty(stream, key, { value: undefined, configurable: true, writable: true });
  return () => {
    for (const [key, descriptor] of saved) {
      if (descriptor) Object.defineProperty(stream, key, descriptor);
      else delete (stream as unknown as Record<string, unknown>)[key];
    }
  };
}

function capture(stream: NodeJS.WriteStream, into: (text: string) => void): () => void {
  const original = Object.getOwnPropertyDescriptor(stream, "write");
  const write = ((chunk: string | Uint8Array, encodingOrDone?: unknown, done?: unknown) => {
    into(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    const callback = typeof encodingOrDone === "function" ? encodingOrDone : done;
    if (typeof callback === "function") process.nextTick(callback as () => void);
    return true;
  }) as Write;
  stream.write = write;
  return () => {
    if (original) Object.defineProperty(stream, "write", original);
    else delete (stream as unknown as Record<string, unknown>).write;
  };
}

/**
 * yargs prints --help and --version through console.log; vitest replaces the console
 * with its own, which does not go through process.stdout, so it is captured here too.
 */
function captureConsole(out: (text: string) => void, err: (text: string) => void): () => void {
  const methods = { log: out, info: out, debug: out, error: err, warn: err } as const;
  const saved = Object.keys(methods).map((name) => [name, console[name as keyof typeof methods]] as const);
  for (const [name, into] of Object.entries(methods)) {
    console[name as keyof typeof methods] = (...args: unknown[]) => into(`${format(...args)}\n`);
  }
  return () => {
    for (const [name, fn] of saved) console[name as keyof typeof methods] = fn;
  };
}

function applyEnv(overrides: NodeJS.ProcessEnv): () => void {
  const before = { ...process.env };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  return () => {
    // The command may set variables of its own (--no-cache does): drop them too.
    for (const key of Object.keys(process.env)) if (!(key in before)) delete process.env[key];
    for (const [key, value] of Object.entries(before)) process.env[key] = value;
  };
}

let queue: Promise<unknown> = Promise.resolve();

async function runNow(argv: readonly string[], options: CliOptions): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const cwd = process.cwd();
  const exitCode = process.exitCode;
  const undo: Array<() => void> = [];
  try {
    undo.push(applyEnv({ ...DEFAULT_ENV, ...options.env }));
    process.chdir(options.cwd);
    undo.push(() => process.chdir(cwd));
    undo.push(asPipe(process.stdin), asPipe(process.stdout), asPipe(process.stderr));
    undo.push(capture(process.stdout, (t) => (stdout += t)));
    undo.push(capture(process.stderr, (t) => (stderr += t)));
    undo.push(
      captureConsole(
        (t) => (stdout += t),
        (t) => (stderr += t),
      ),
    );
    const status = await main([...argv]);
    return { status, stdout, stderr };
  } finally {
    for (const step of undo.reverse()) step();
    process.exitCode = exitCode;
  }
}

/** `autogen <argv>` in this process, from the current src/. */
export function runCli(argv: readonly string[], options: CliOptions): Promise<CliResult> {
  const result = queue.then(() => runNow(argv, options));
  queue = result.catch(() => undefined);
  return result;
}

function newestIn(dir: string, ext: string): { file: string; mtimeMs: number } {
  let newest = { file: "", mtimeMs: 0 };
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith(ext) || entry.name.endsWith(".d.ts")) continue;
    const file = path.join(entry.parentPath, entry.name);
    const { mtimeMs } = statSync(file);
    if (mtimeMs > newest.mtimeMs) newest = { file, mtimeMs };
  }
  return newest;
}

let builtChecked = false;

/** Throws unless dist/ was built after the last change to src/. */
export function assertBuilt(): void {
  if (builtChecked) return;
  let built: number;
  try {
    built = statSync(BIN).mtimeMs;
  } catch {
    throw new Error(`${BIN} is missing: run \`npm run build\` first (npm test does)`);
  }
  const source = newestIn(path.join(REPO_ROOT, "src"), ".ts");
  // tsc writes every output on each build; the oldest output that matters is the binary.
  if (source.mtimeMs > built) {
    throw new Error(
      `dist/ is older than ${path.relative(REPO_ROOT, source.file)}: run \`npm run build\` (npm test does) — this test runs the built CLI`,
    );
  }
  builtChecked = true;
}

function childEnv(options: CliOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...DEFAULT_ENV, ...options.env };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  return env;
}

/** `autogen <argv>` as a separate process running the built dist/cli/main.js. */
export function spawnCli(argv: readonly string[], options: SpawnOptions): CliResult {
  assertBuilt();
  const r = spawnSync(process.execPath, [BIN, ...argv], {
    cwd: options.cwd,
    encoding: "utf8",
    input: options.input ?? "",
    env: childEnv(options),
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `spawnCli` without waiting, for commands that run at the same time. */
export function spawnCliAsync(argv: readonly string[], options: CliOptions): Promise<CliResult> {
  assertBuilt();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...argv], { cwd: options.cwd, env: childEnv(options), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}
