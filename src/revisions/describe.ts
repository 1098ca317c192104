/**
 * Plain data for the read-only commands — `history`, `branches`, `show`, `current`,
 * `heads` — so the CLI only formats. Markers follow Alembic's vocabulary.
 */
import { UserError } from "../errors.js";
import type { RevisionGraph } from "./graph.js";
import type { RevisionNode } from "./node.js";
import { resolve } from "./resolve.js";
import { checkVersionRows } from "./version-rows.js";

export interface RevisionInfo<N extends RevisionNode = RevisionNode> {
  revision: string;
  node: N;
  message: string | undefined;
  path: string | undefined;
  downRevisions: string[];
  /** Resolved ids of `dependsOn`. */
  dependsOn: string[];
  children: string[];
  /** Revisions that list this one in `dependsOn`. */
  dependents: string[];
  /** Labels declared on this revision. */
  ownBranchLabels: string[];
  /** Labels this revision carries: its own and those of the revisions it builds on. */
  branchLabels: string[];
  isHead: boolean;
  isBase: boolean;
  isBranchPoint: boolean;
  isMergePoint: boolean;
  /** A row of the version table. */
  isCurrent: boolean;
  /** Applied in the database (a row or below one). */
  isApplied: boolean;
}

export type RevisionMarker = "head" | "branchpoint" | "mergepoint" | "current";

export function revisionInfo<N extends RevisionNode>(
  graph: RevisionGraph<N>,
  id: string,
  currentHeads: readonly string[] = [],
): RevisionInfo<N> {
  const rows = checkVersionRows(graph, currentHeads);
  return infoWith(graph, id, new Set(rows), graph.ancestors(rows));
}

/** The markers Alembic prints after a revision id, in its order. */
export function markers(info: RevisionInfo<RevisionNode>): RevisionMarker[] {
  const out: RevisionMarker[] = [];
  if (info.isHead) out.push("head");
  if (info.isBranchPoint) out.push("branchpoint");
  if (info.isMergePoint) out.push("mergepoint");
  if (info.isCurrent) out.push("current");
  return out;
}

export interface HistoryOptions {
  currentHeads?: readonly string[];
  /**
   * `lower:upper`, both ends inclusive and optional (`base` and `heads` by default);
   * either end may be any spec, or `current` for the version table's rows.
   */
  range?: string;
}

/** Revisions newest first (children before parents). */
export function history<N extends RevisionNode>(graph: RevisionGraph<N>, options: HistoryOptions = {}): RevisionInfo<N>[] {
  const rows = checkVersionRows(graph, options.currentHeads ?? []);
  const applied = graph.ancestors(rows);
  let selected: Set<string> = new Set(graph.order);

  if (options.range !== undefined) {
    const [lowerSpec, upperSpec, ...extra] = options.range.split(":");
    if (extra.length > 0) throw new UserError(`Invalid history range '${options.range}'; expected lower:upper`);
    const endpoint = (spec: string | undefined, fallback: string): string[] | null => {
      const text = spec === undefined || spec === "" ? fallback : spec;
      if (text === "base") return null;
      if (text === "current") return rows;
      return resolve(text, { graph, currentHeads: rows }).revisions;
    };
    const lower = endpoint(lowerSpec, "base");
    const upper = endpoint(upperSpec, "heads");
    const below = upper === null ? new Set<string>() : graph.ancestors(upper);
    const above = lower === null || lower.length === 0 ? null : graph.descendants(lower);
    selected = new Set([...below].filter((id) => above === null || above.has(id)));
    if (above !== null && selected.size === 0) {
      throw new UserError(`Requested range ${options.range} does not refer to ancestor/descendant revisions along the same branch`);
    }
  }

  const current = new Set(rows);
  return graph.order
    .filter((id) => selected.has(id))
    .reverse()
    .map((id) => infoWith(graph, id, current, applied));
}

export interface BranchPointInfo<N extends RevisionNode = RevisionNode> {
  branchPoint: RevisionInfo<N>;
  /** Each child with the heads reachable from it. */
  branches: Array<{ child: RevisionInfo<N>; heads: string[] }>;
}

/** Every branch point with the branches that start there (`branches`). */
export function branches<N extends RevisionNode>(graph: RevisionGraph<N>, currentHeads: readonly string[] = []): BranchPointInfo<N>[] {
  const rows = checkVersionRows(graph, currentHeads);
  const current = new Set(rows);
  const applied = graph.ancestors(rows);
  return graph.branchPoints().map((id) => ({
    branchPoint: infoWith(graph, id, current, applied),
    branches: graph.children(id).map((child) => ({
      child: infoWith(graph, child, current, applied),
      heads: [...graph.descendants([child], { includeDependencies: false })].filter((d) => graph.isHead(d)),
    })),
  }));
}

/** The revisions a spec names (`show head`, `show ab12`, `show heads`). */
export function show<N extends RevisionNode>(
  graph: RevisionGraph<N>,
  spec: string,
  currentHeads: readonly string[] = [],
): RevisionInfo<N>[] {
  const rows = checkVersionRows(graph, currentHeads);
  const { revisions } = resolve(spec, { graph, currentHeads: rows });
  if (revisions.length === 0) throw new UserError(`'${spec}' names base, not a revision`);
  const applied = graph.ancestors(rows);
  return revisions.map((id) => infoWith(graph, id, new Set(rows), applied));
}

/** The version table's rows as revisions (`current`). */
export function currentRevisions<N extends RevisionNode>(graph: RevisionGraph<N>, currentHeads: readonly string[]): RevisionInfo<N>[] {
  const rows = checkVersionRows(graph, currentHeads);
  const applied = graph.ancestors(rows);
  return rows.map((id) => infoWith(graph, id, new Set(rows), applied));
}

/** The graph's heads as revisions (`heads`). */
export function headRevisions<N extends RevisionNode>(graph: RevisionGraph<N>, currentHeads: readonly string[] = []): RevisionInfo<N>[] {
  const rows = checkVersionRows(graph, currentHeads);
  const applied = graph.ancestors(rows);
  return graph.heads.map((id) => infoWith(graph, id, new Set(rows), applied));
}

function infoWith<N extends RevisionNode>(
  graph: RevisionGraph<N>,
  id: string,
  current: ReadonlySet<string>,
  applied: ReadonlySet<string>,
): RevisionInfo<N> {
  const node = graph.get(id);
  return {
    revision: id,
    node,
    message: node.message,
    path: node.path,
    downRevisions: [...graph.downRevisions(id)],
    dependsOn: [...graph.dependencies(id)],
    children: [...graph.children(id)],
    dependents: [...graph.dependents(id)],
    ownBranchLabels: graph.ownLabels(id),
    branchLabels: [...graph.branchLabels(id)],
    isHead: graph.isHead(id),
    isBase: graph.isBase(id),
    isBranchPoint: graph.isBranchPoint(id),
    isMergePoint: graph.isMergePoint(id),
    isCurrent: current.has(id),
    isApplied: applied.has(id),
  };
}
