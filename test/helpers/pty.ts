/**
 * Runs a command on a pseudo-terminal through util-linux `script`, so the program sees
 * a TTY on stdin, stdout and stderr, as in a user's terminal. Answers are typed when
 * the screen shows a given text (not after a delay), so a slow machine only waits longer.
 */
import { spawn, spawnSync } from "node:child_process";

export interface PtyAnswer {
  /** Type `keys` once the output contains this. */
  when: string | RegExp;
  keys: string;
}

export interface PtyResult {
  /** Everything the terminal showed (stdout and stderr interleaved, with escape codes). */
  output: string;
  status: number | null;
}

/** True when `script` (util-linux) is on this machine. */
export function ptyAvailable(): boolean {
  return spawnSync("script", ["--version"], { encoding: "utf8" }).status === 0;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function runOnPty(
  argv: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; answers?: PtyAnswer[]; timeoutMs?: number },
): Promise<PtyResult> {
  // A pty opened by `script` without a terminal of its own has 0 columns; give it a size.
  const command = `stty cols 120 rows 40; exec ${argv.map(quote).join(" ")}`;
  const child = spawn("script", ["-q", "-e", "-c", command, "/dev/null"], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  const pending = [...(options.answers ?? [])];
  let output = "";
  const onData = (chunk: Buffer) => {
    output += chunk.toString("utf8");
    while (pending.length) {
      const next = pending[0]!;
      const seen = typeof next.when === "string" ? output.includes(next.when) : next.when.test(output);
      if (!seen) break;
      pending.shift();
      child.stdin.write(next.keys);
    }
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`pty run timed out; output so far:\n${output}`));
    }, options.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ output, status });
    });
  });
}
