/**
 * Which revisions an upgrade applies and a downgrade unapplies, given the version
 * table's rows and a target spec (see ./resolve.ts for the syntax).
 */
import { UserError } from "../errors.js";
import type { RevisionGraph } from "./graph.js";
import type { RevisionNode } from "./node.js";
import { isDownwardFromCurrent, isUpwardFromCurrent, parseSpec, resolve } from "./resolve.js";
import { checkVersionRows } from "./version-rows.js";

/**
 * Revisions to apply, parents first: everything the target needs (down revisions,
 * every side of a merge, dependencies) that is not applied yet. A target already
 * applied, or below the current heads, needs nothing.
 */
export function upgradePath<N extends RevisionNode>(graph: RevisionGraph<N>, currentHeads: readonly string[], target: string): N[] {
  const rows = checkVersionRows(graph, currentHeads);
  if (isDownwardFromCurrent(parseSpec(graph, target))) {
    throw new UserError(`Upgrade target '${target}' moves down from the current revision; use downgrade`);
  }
  const { revisions } = resolve(target, { graph, currentHeads: rows });
  const applied = graph.ancestors(rows);
  const needed = [...graph.ancestors(revisions)].filter((id) => !applied.has(id));
  return needed.map((id) => graph.get(id));
}

/**
 * Revisions to unapply, children first: every applied revision above the target
 * (descendants of its children, and whatever depends on them). Narrowed to one
 * branch by `<branch>@...` and by a bare `-N`, which walks down from the single
 * current head. `base` unapplies everything (on the branch, with `<branch>@base`).
 */
export function downgradePath<N extends RevisionNode>(graph: RevisionGraph<N>, currentHeads: readonly string[], target: string): N[] {
  const rows = checkVersionRows(graph, currentHeads);
  if (isUpwardFromCurrent(parseSpec(graph, target))) {
    throw new UserError(`Downgrade target '${target}' moves up from the current revision; use upgrade`);
  }
  const parsed = parseSpec(graph, target);
  const { revisions, branch } = resolve(target, { graph, currentHeads: rows });
  // Several destinations only come from a relative step down off a merge point
  // (`-1` from a merge returns to the heads it joined).
  if (revisions.length > 1 && parsed.steps === null) {
    throw new UserError(`Downgrade target '${target}' names several revisions (${revisions.join(", ")}); give one`);
  }
  const applied = graph.ancestors(rows);
  for (const destination of revisions) {
    if (!applied.has(destination)) {
      const current = rows.length ? rows.join(", ") : "nothing applied";
      throw new UserError(`Downgrade target ${destination} is not applied, so it is not below the current heads (${current})`);
    }
  }

  let roots = revisions.length === 0 ? [...graph.bases] : [...new Set(revisions.flatMap((d) => graph.children(d)))];
  if (branch && roots.length > 1) {
    const line = graph.lineage(branch.anchor, { includeDependencies: false });
    roots = roots.filter((id) => line.has(id));
    if (roots.length === 0) {
      throw new UserError(`Downgrade target '${target}' is not on branch '${branch.name}'`);
    }
  }

  const kept = graph.ancestors(revisions);
  const removed = [...graph.descendants(roots)].filter((id) => applied.has(id) && !kept.has(id));
  return removed.reverse().map((id) => graph.get(id));
}
