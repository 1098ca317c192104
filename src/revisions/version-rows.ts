/**
 * Version-table bookkeeping as pure functions.
 *
 * The table holds one row per applied head. The invariant every function here keeps:
 * the rows are exactly the applied revisions that no applied revision names as its
 * `downRevision`. Applied = the rows plus all their ancestors, dependencies included.
 *
 * Deliberate difference from Alembic: a `dependsOn` target never consumes a row.
 * Alembic folds a dependency that is a head into its dependent's row (issue
 * sqlalchemy/alembic#789 shows the confusion this causes), and then needs extra
 * logic to show the "implied" head again in `current`. Here a branch keeps its own
 * row until something on that branch revises it, so `current` is simply the rows and
 * "at head" simply means rows == graph heads.
 */
import { UserError } from "../errors.js";
import type { RevisionGraph } from "./graph.js";
import type { RevisionNode } from "./node.js";

/** One statement against the version table. `update` rewrites row `from` to `revision`. */
export type VersionAction =
  { kind: "insert"; revision: string } | { kind: "delete"; revision: string } | { kind: "update"; from: string; revision: string };

export interface VersionChange {
  /** The rows after the change, in topological order. */
  heads: string[];
  /** The statements that turn the old rows into `heads`, in the order to run them. */
  actions: VersionAction[];
}

export interface VersionStep<N extends RevisionNode = RevisionNode> extends VersionChange {
  node: N;
  direction: "upgrade" | "downgrade";
}

/**
 * Checks rows read from the version table against the graph and returns them in
 * topological order. Unknown or repeated rows are user errors.
 */
export function checkVersionRows(graph: RevisionGraph<RevisionNode>, rows: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) {
    if (seen.has(row)) {
      throw new UserError(`The version table lists revision '${row}' twice; reset it with \`autogen stamp --purge <revision>\``);
    }
    seen.add(row);
    if (!graph.has(row)) {
      throw new UserError(`Can't locate revision identified by '${row}' (listed in the version table)`);
    }
  }
  return graph.sortTopologically(seen);
}

/** Every revision applied when the version table holds `rows`. */
export function appliedSet(graph: RevisionGraph<RevisionNode>, rows: readonly string[]): Set<string> {
  return graph.ancestors(checkVersionRows(graph, rows));
}

/**
 * The rows the version table must hold for exactly `applied` (closed under ancestors
 * first, so any set of revisions will do) to count as applied.
 */
export function headsOfApplied(graph: RevisionGraph<RevisionNode>, applied: Iterable<string>): string[] {
  const set = graph.ancestors(applied);
  return [...set].filter((id) => !graph.children(id).some((child) => set.has(child)));
}

/** The rows after applying `revision`, and the statements that get there. */
export function applyRevision(graph: RevisionGraph<RevisionNode>, rows: readonly string[], revision: string): VersionChange {
  const current = checkVersionRows(graph, rows);
  return applyChange(graph, current, graph.ancestors(current), revision);
}

/** The rows after unapplying `revision`, and the statements that get there. */
export function unapplyRevision(graph: RevisionGraph<RevisionNode>, rows: readonly string[], revision: string): VersionChange {
  const current = checkVersionRows(graph, rows);
  return unapplyChange(graph, current, graph.ancestors(current), revision);
}

function applyChange(
  graph: RevisionGraph<RevisionNode>,
  current: readonly string[],
  applied: ReadonlySet<string>,
  revision: string,
): VersionChange {
  graph.get(revision);
  if (applied.has(revision)) throw new UserError(`Revision ${revision} is already applied`);
  for (const parent of graph.parents(revision)) {
    if (!applied.has(parent)) {
      const role = graph.downRevisions(revision).includes(parent) ? "down revision" : "dependency";
      throw new UserError(`Cannot apply ${revision} before its ${role} ${parent}`);
    }
  }

  // Only down revisions hand their row over; dependencies keep theirs.
  const consumed = graph.downRevisions(revision).filter((d) => current.includes(d));
  const actions: VersionAction[] = [];
  if (consumed.length === 0) {
    actions.push({ kind: "insert", revision });
  } else {
    for (const extra of consumed.slice(1)) actions.push({ kind: "delete", revision: extra });
    actions.push({ kind: "update", from: consumed[0]!, revision });
  }
  const heads = graph.sortTopologically([...current.filter((r) => !consumed.includes(r)), revision]);
  return { heads, actions };
}

function unapplyChange(
  graph: RevisionGraph<RevisionNode>,
  current: readonly string[],
  applied: ReadonlySet<string>,
  revision: string,
): VersionChange {
  graph.get(revision);
  if (!applied.has(revision)) throw new UserError(`Revision ${revision} is not applied`);
  const builtOn = [...graph.children(revision), ...graph.dependents(revision)].filter((id) => applied.has(id));
  if (builtOn.length > 0) {
    throw new UserError(`Cannot unapply ${revision} while ${builtOn.join(", ")}, which builds on it, is applied`);
  }

  // A down revision gets its row back unless another applied revision still revises it.
  const restored = graph
    .downRevisions(revision)
    .filter((d) => !current.includes(d) && !graph.children(d).some((c) => c !== revision && applied.has(c)));
  const actions: VersionAction[] = [];
  if (restored.length === 0) {
    actions.push({ kind: "delete", revision });
  } else {
    actions.push({ kind: "update", from: revision, revision: restored[0]! });
    for (const extra of restored.slice(1)) actions.push({ kind: "insert", revision: extra });
  }
  const heads = graph.sortTopologically([...current.filter((r) => r !== revision), ...restored]);
  return { heads, actions };
}

/**
 * Walks a path from `upgradePath`/`downgradePath`, giving each revision the
 * statements that record it and the rows after it: what the runner executes in the
 * same transaction as the revision's own operations.
 */
export function planVersionSteps<N extends RevisionNode>(
  graph: RevisionGraph<N>,
  rows: readonly string[],
  path: readonly N[],
  direction: "upgrade" | "downgrade",
): VersionStep<N>[] {
  let heads = checkVersionRows(graph, rows);
  // Kept up to date step by step: recomputing it per revision is quadratic on long histories.
  const applied = graph.ancestors(heads);
  return path.map((node) => {
    const change =
      direction === "upgrade" ? applyChange(graph, heads, applied, node.revision) : unapplyChange(graph, heads, applied, node.revision);
    if (direction === "upgrade") applied.add(node.revision);
    else applied.delete(node.revision);
    heads = change.heads;
    return { node, direction, ...change };
  });
}

/**
 * The statements that replace `from` rows by `to` rows: rows that go away are
 * updated into rows that come in, the remainder deleted or inserted.
 */
export function rowDiff(from: readonly string[], to: readonly string[]): VersionAction[] {
  const removed = from.filter((r) => !to.includes(r));
  const added = to.filter((r) => !from.includes(r));
  const actions: VersionAction[] = [];
  const paired = Math.min(removed.length, added.length);
  for (const r of removed.slice(paired)) actions.push({ kind: "delete", revision: r });
  for (let i = 0; i < paired; i++) actions.push({ kind: "update", from: removed[i]!, revision: added[i]! });
  for (const a of added.slice(paired)) actions.push({ kind: "insert", revision: a });
  return actions;
}
