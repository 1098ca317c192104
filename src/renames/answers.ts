/**
 * Answers to rename questions given ahead of time, for runs with nobody to ask (CI, a
 * script, stdin not a terminal): which suspected renames are renames (`--rename`) and
 * which are really a drop and an add (`--drop`, or an answers file). A suspected rename
 * left without an answer stops autogenerate: silence never decides that data is lost.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { UserError } from "../errors.js";
import type { RenameHints, RenameSuggestion } from "../diff/types.js";
import { describeSuggestion } from "./resolver.js";

export interface RenameAnswers {
  renames: RenameHints;
  /** `table` or `table.column`: sources that are really dropped. */
  drops: string[];
}

const NAME = /^[^.=\s]+(?:\.[^.=\s]+)?$/;

/**
 * An answers file (JSON): `{ "renames": { "people.name": "fullName", "old_people":
 * "people" }, "drops": ["people.nickname"] }`. Relative paths are against `cwd`.
 */
export function readAnswersFile(file: string, cwd: string): RenameAnswers {
  const where = path.resolve(cwd, file);
  if (!existsSync(where)) throw new UserError(`answers file not found: ${where}`);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(where, "utf8").replace(/^\uFEFF/, ""));
  } catch (err) {
    throw new UserError(`${where}: not valid JSON (${(err as Error).message.split("\n")[0]})`);
  }
  const bad = (why: string) => new UserError(`${where}: ${why}; expected { "renames": { "table.old": "new" }, "drops": ["table.column"] }`);
  if (typeof data !== "object" || data === null || Array.isArray(data)) throw bad("not an object");
  const { renames = {}, drops = [], ...rest } = data as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length) throw bad(`unknown field "${unknown[0]}"`);
  if (typeof renames !== "object" || renames === null || Array.isArray(renames)) throw bad(`"renames" is not an object`);
  if (!Array.isArray(drops) || drops.some((d) => typeof d !== "string" || !NAME.test(d)))
    throw bad(`"drops" is not a list of table or table.column names`);
  const hints: Required<RenameHints> = { tables: {}, columns: {} };
  for (const [from, to] of Object.entries(renames)) {
    if (typeof to !== "string" || !NAME.test(from) || !/^[^.=\s]+$/.test(to))
      throw bad(`rename "${from}" is not "table.old": "new" or "old_table": "new_table"`);
    if (from.includes(".")) hints.columns[from] = to;
    else hints.tables[from] = to;
  }
  return { renames: hints, drops: drops as string[] };
}

/** Both sets of answers together; the first given wins for a source answered twice. */
export function mergeAnswers(a: RenameAnswers, b: RenameAnswers): RenameAnswers {
  return {
    renames: {
      tables: { ...(b.renames.tables ?? {}), ...(a.renames.tables ?? {}) },
      columns: { ...(b.renames.columns ?? {}), ...(a.renames.columns ?? {}) },
    },
    drops: [...new Set([...a.drops, ...b.drops])],
  };
}

function sourceOf(s: RenameSuggestion): string {
  return s.kind === "table" ? s.from : `${s.table}.${s.from}`;
}

/** The suggestions no answer covers (a drop answer covers every suggestion for its source). */
export function unanswered(suggestions: readonly RenameSuggestion[], drops: readonly string[]): RenameSuggestion[] {
  const dropped = new Set(drops);
  return suggestions.filter((s) => !dropped.has(sourceOf(s)));
}

/** One line: each unanswered suggestion and the two ways to answer it. */
export function unansweredError(suggestions: readonly RenameSuggestion[]): UserError {
  const each = suggestions.map((s) => {
    const rename = s.kind === "table" ? `${s.from}=${s.to}` : `${s.table}.${s.from}=${s.to}`;
    return `${describeSuggestion(s)} (keep the data: --rename ${rename}; really a drop: --drop ${sourceOf(s)})`;
  });
  return new UserError(
    `${suggestions.length} possible rename(s) need an answer and nobody was asked (stdin is not a terminal, or --no-prompt); no revision was written: ${each.join("; ")}; or give the answers in a file with --answers <file.json>`,
  );
}
