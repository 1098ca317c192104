/**
 * A status line on stderr for long work: an upgrade through many revisions (revision
 * n/m, statements sent, elapsed) or the autogenerate of a large model (phase, tables,
 * elapsed). It appears only on a terminal — never in a pipe, a file, a CI log or
 * `--format json` output (see `progressWanted`) — and only for work that is big (many
 * revisions, many tables) or has already run a second, so short commands do not flicker.
 *
 * It is drawn and erased with a carriage return and spaces, no escape sequences, so
 * NO_COLOR output stays free of them. Ordinary output goes through `above`, which lifts
 * the status line, writes, and puts it back.
 */
import type { ProgressSink } from "../api/progress.js";
import { coloursFor, type Colours } from "./colour.js";

/** Revisions from which an upgrade shows progress at once. */
export const MANY_ITEMS = 10;
/** Tables from which an autogenerate shows progress at once. */
export const BIG_SIZE = 200;
/** Smaller work shows progress once it has run this long. */
export const SHOW_AFTER_MS = 1000;
const REDRAW_MS = 100;

/** CI services set CI (GitHub, GitLab, CircleCI, Travis, Buildkite…); "false"/"0" means not CI. */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI;
  if (ci !== undefined && ci !== "" && ci !== "0" && ci.toLowerCase() !== "false") return true;
  return Boolean(env.CONTINUOUS_INTEGRATION || env.BUILD_NUMBER || env.GITHUB_ACTIONS === "true");
}

export function progressWanted(
  stream: { isTTY?: boolean },
  env: NodeJS.ProcessEnv = process.env,
  options: { format?: string } = {},
): boolean {
  return stream.isTTY === true && env.TERM !== "dumb" && !isCi(env) && options.format !== "json";
}

interface Work {
  title: string;
  started: number;
  total?: number;
  n?: number;
  label?: string;
  phase?: string;
  count?: () => number;
  countLabel: string;
  unit: string;
}

type Stream = Pick<NodeJS.WriteStream, "write"> & { columns?: number };

export class StatusLine implements ProgressSink {
  private work: Work | undefined;
  private shown = 0;
  private visible = false;
  private paused = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly colours: Colours;

  constructor(
    private readonly stream: Stream & { isTTY?: boolean },
    private readonly now: () => number = () => Date.now(),
  ) {
    this.colours = coloursFor(stream);
  }

  begin(title: string, options: { total?: number; size?: number; count?: () => number; countLabel?: string; unit?: string } = {}): void {
    this.end();
    this.work = {
      title,
      started: this.now(),
      countLabel: options.countLabel ?? "",
      unit: options.unit ?? "revision",
      ...(options.total !== undefined ? { total: options.total } : {}),
      ...(options.count ? { count: options.count } : {}),
    };
    this.visible = (options.total ?? 0) >= MANY_ITEMS || (options.size ?? 0) >= BIG_SIZE;
    // Keeps the elapsed time moving while one long statement runs; never keeps the process alive.
    this.timer = setInterval(() => this.tick(), REDRAW_MS);
    this.timer.unref();
    this.draw();
  }

  item(n: number, label: string): void {
    if (!this.work) return;
    this.work.n = n;
    this.work.label = label;
    this.draw();
  }

  phase(label: string, size?: number): void {
    if (!this.work) return;
    this.work.phase = label;
    if ((size ?? 0) >= BIG_SIZE) this.visible = true;
    this.draw();
  }

  end(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.erase();
    this.work = undefined;
    this.visible = false;
  }

  /** Writes ordinary output without tearing the status line. */
  above(write: () => void): void {
    this.erase();
    write();
    this.draw();
  }

  /** Hides the status line while `fn` runs (a prompt needs the terminal to itself). */
  async pause<T>(fn: () => Promise<T>): Promise<T> {
    this.erase();
    this.paused = true;
    try {
      return await fn();
    } finally {
      this.paused = false;
      this.draw();
    }
  }

  /** The status text, uncoloured (exported for tests through `text()`). */
  text(): string {
    const w = this.work;
    if (!w) return "";
    const parts: string[] = [];
    if (w.total !== undefined && w.n !== undefined) parts.push(`${w.unit} ${w.n}/${w.total}`);
    if (w.label) parts.push(w.label);
    if (w.phase) parts.push(w.phase);
    const count = w.count?.();
    if (count !== undefined && w.countLabel) parts.push(`${count} ${w.countLabel}`);
    parts.push(`${((this.now() - w.started) / 1000).toFixed(1)} s`);
    return `${w.title}: ${parts.join(" · ")}`;
  }

  private tick(): void {
    if (!this.work) return;
    if (!this.visible && this.now() - this.work.started >= SHOW_AFTER_MS) this.visible = true;
    this.draw();
  }

  private draw(): void {
    if (!this.work || !this.visible || this.paused) return;
    const width = Math.max(20, (this.stream.columns || 80) - 1);
    let text = this.text();
    if (text.length > width) text = `${text.slice(0, width - 1)}…`;
    const pad = this.shown > text.length ? " ".repeat(this.shown - text.length) : "";
    const colon = text.indexOf(": ");
    const painted = colon > 0 ? `${this.colours.cyan(text.slice(0, colon))}${this.colours.dim(text.slice(colon))}` : text;
    this.stream.write(`\r${painted}${pad}`);
    this.shown = text.length;
  }

  private erase(): void {
    if (this.shown === 0) return;
    this.stream.write(`\r${" ".repeat(this.shown)}\r`);
    this.shown = 0;
  }
}

let terminalStatus: StatusLine | undefined;
/** The status line, if a command created one (prompts hide it while they ask). */
export function activeStatusLine(): StatusLine | undefined {
  return terminalStatus;
}
/** The process's one status line on stderr. */
export function statusLine(): StatusLine {
  terminalStatus ??= new StatusLine(process.stderr);
  return terminalStatus;
}

/** Writes one line of output to stdout, below any status line. */
export function writeLine(line: string): void {
  if (terminalStatus) terminalStatus.above(() => process.stdout.write(`${line}\n`));
  else process.stdout.write(`${line}\n`);
}
