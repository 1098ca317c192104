/**
 * `stamp`: set the version table to given revisions without running them.
 *
 * As in Alembic, a target replaces only the rows on its own line of history
 * (ancestors or descendants, dependencies included); rows on unrelated branches are
 * kept. `base` (or `<branch>@base`) removes the rows on the line it names. `--purge`
 * first discards every row, even ones no revision file knows, then stamps the
 * targets.
 */
import type { RevisionGraph } from "./graph.js";
import type { RevisionNode } from "./node.js";
import { resolve } from "./resolve.js";
import { checkVersionRows, headsOfApplied, rowDiff, type VersionAction, type VersionChange } from "./version-rows.js";

export interface StampOptions {
  /** Delete every existing row first (also rows naming unknown revisions). */
  purge?: boolean;
}

export function stampRows(
  graph: RevisionGraph<RevisionNode>,
  currentRows: readonly string[],
  targets: readonly string[],
  options: StampOptions = {},
): VersionChange {
  if (options.purge) {
    const known = [...new Set(currentRows)].filter((r) => graph.has(r));
    const stamped = new Set<string>();
    for (const spec of targets) {
      for (const id of resolve(spec, { graph, currentHeads: known }).revisions) stamped.add(id);
    }
    const heads = headsOfApplied(graph, stamped);
    const actions: VersionAction[] = [
      ...[...new Set(currentRows)].map((revision): VersionAction => ({ kind: "delete", revision })),
      ...heads.map((revision): VersionAction => ({ kind: "insert", revision })),
    ];
    return { heads, actions };
  }

  const current = checkVersionRows(graph, currentRows);
  let rows = new Set(current);
  for (const spec of targets) {
    const { revisions, branch } = resolve(spec, { graph, currentHeads: current });
    if (revisions.length === 0) {
      const line = branch ? graph.lineage(branch.anchor) : null;
      rows = new Set([...rows].filter((r) => line !== null && !line.has(r)));
      continue;
    }
    for (const destination of revisions) {
      const line = graph.lineage(destination);
      rows = new Set([...rows].filter((r) => !line.has(r)));
      rows.add(destination);
    }
  }
  // Targets that build on each other, or on a dependency, collapse to proper rows.
  const heads = headsOfApplied(graph, rows);
  return { heads, actions: rowDiff(current, heads) };
}
