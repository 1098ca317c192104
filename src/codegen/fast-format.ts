/**
 * Formats a built revision with the user's prettier configuration while running prettier
 * only over the frame of the file (header, imports, exports, function signatures): the op
 * statements are laid out by ./layout.ts, which prints them as prettier would. Where the
 * configuration has options the layout does not model, or a statement is outside its
 * grammar, prettier formats that part as before, so the output is prettier's either way.
 *
 * A 2,000-table first revision is about 5 MB of op calls; prettier takes tens of seconds
 * over it, the layout well under one.
 */
import { BODY_PLACEHOLDERS, bodyText, fillBodies } from "./build.js";
import { formatTypeScript, type FormatOptions } from "./format.js";
import { layoutPrepared, layoutSupported, prepareStatement, type LayoutOptions, type PreparedStatement } from "./layout.js";

type Item = { comment: string } | { prepared: PreparedStatement };

/** A body split into runs the layout prints and statements left to prettier, in order. */
interface PlannedBody {
  /** The body's text inside the frame given to prettier: run markers and left-over statements. */
  text: string;
  runs: Item[][];
}

const runMarker = (n: number) => `__autogen_run_${n}__();`;
const MARKER_LINE = /^( *)__autogen_run_(\d+)__\(\);$/;

function planBody(statements: readonly string[], runs: Item[][]): PlannedBody {
  const pieces: string[] = [];
  let current: Item[] | undefined;
  for (const statement of statements) {
    const trimmed = statement.trimStart();
    let item: Item | undefined;
    // prettier prints a line comment as written, trailing blanks dropped.
    if (trimmed.startsWith("//") && !trimmed.includes("\n")) item = { comment: trimmed.trimEnd() };
    else {
      const prepared = prepareStatement(statement);
      if (prepared) item = { prepared };
    }
    if (item === undefined) {
      current = undefined;
      pieces.push(statement);
      continue;
    }
    if (current === undefined) {
      current = [];
      pieces.push(runMarker(runs.length));
      runs.push(current);
    }
    current.push(item);
  }
  return { text: bodyText(pieces), runs };
}

function layoutRun(run: Item[], indent: string, layout: LayoutOptions): string {
  return run.map((item) => ("comment" in item ? indent + item.comment : layoutPrepared(item.prepared, indent.length, layout))).join("\n");
}

/**
 * The formatted revision. `frame` holds `BODY_PLACEHOLDERS` where the bodies go (the
 * default frame from ./build.ts, or a user template filled with the placeholders).
 */
export async function formatRevisionText(
  frame: string,
  statements: { upgrades: readonly string[]; downgrades: readonly string[] },
  options: FormatOptions,
  what?: string,
): Promise<string> {
  const whole = () =>
    formatTypeScript(
      fillBodies(frame, { upgrades: bodyText(statements.upgrades), downgrades: bodyText(statements.downgrades) }),
      options,
      what,
    );
  const layout = layoutSupported(options);
  if (!layout || !frame.includes(BODY_PLACEHOLDERS.upgrades) || !frame.includes(BODY_PLACEHOLDERS.downgrades)) return whole();

  const runs: Item[][] = [];
  const upgrades = planBody(statements.upgrades, runs);
  const downgrades = planBody(statements.downgrades, runs);
  const formatted = await formatTypeScript(fillBodies(frame, { upgrades: upgrades.text, downgrades: downgrades.text }), options, what);

  const out: string[] = [];
  const seen = new Set<number>();
  for (const line of formatted.split("\n")) {
    const marker = MARKER_LINE.exec(line);
    const run = marker ? runs[Number(marker[2])] : undefined;
    if (!marker || !run || seen.has(Number(marker[2]))) {
      out.push(line);
      continue;
    }
    seen.add(Number(marker[2]));
    out.push(layoutRun(run, marker[1]!, layout));
  }
  // A template that put a body somewhere prettier did not keep it on a line of its own.
  if (seen.size !== runs.length) return whole();
  return out.join("\n");
}
