/**
 * Renames are never guessed: the differ reports suspected renames as findings, and a
 * resolver decides which ones are real. Three resolvers share one shape — confirmed
 * flags (`--rename`), an interactive prompt, and none — and the caller diffs again with
 * what was confirmed.
 */
import type { Finding, RenameHints, RenameSuggestion } from "../diff/types.js";

/** Given the suggestions of one diff, the ones the user confirms. */
export type RenameResolver = (suggestions: RenameSuggestion[]) => Promise<RenameSuggestion[]>;

export function renameSuggestions(findings: readonly Finding[]): RenameSuggestion[] {
  const out: RenameSuggestion[] = [];
  for (const f of findings) if (f.kind === "renameCandidate" && f.rename) out.push(f.rename);
  return out;
}

export function describeSuggestion(s: RenameSuggestion): string {
  return s.kind === "table" ? `table ${s.from} -> ${s.to}` : `column ${s.table}.${s.from} -> ${s.table}.${s.to}`;
}

/** Adds confirmed suggestions to `hints`; a source already renamed keeps its first answer. */
export function withConfirmed(hints: RenameHints, confirmed: readonly RenameSuggestion[]): RenameHints {
  const tables = { ...(hints.tables ?? {}) };
  const columns = { ...(hints.columns ?? {}) };
  for (const s of confirmed) {
    if (s.kind === "table") tables[s.from] ??= s.to;
    else columns[`${s.table}.${s.from}`] ??= s.to;
  }
  return { tables, columns };
}

/**
 * Asks `ask` about each suggestion in turn. One source can be confirmed only once
 * (a dropped column has one new name), so later suggestions for it are skipped.
 * `ask` gets the question and the suggestion it is about (the terminal prompt labels
 * its two answers with what each does to the data); its default answer must be No.
 */
export function promptResolver(ask: (question: string, suggestion: RenameSuggestion) => Promise<boolean>): RenameResolver {
  return async (suggestions) => {
    const confirmed: RenameSuggestion[] = [];
    const taken = new Set<string>();
    for (const s of suggestions) {
      const source = s.kind === "table" ? `t:${s.from}` : `c:${s.table}.${s.from}`;
      const target = s.kind === "table" ? `t>${s.to}` : `c>${s.table}.${s.to}`;
      if (taken.has(source) || taken.has(target)) continue;
      if (await ask(`Did you rename ${describeSuggestion(s)}?`, s)) {
        confirmed.push(s);
        taken.add(source);
        taken.add(target);
      }
    }
    return confirmed;
  };
}
