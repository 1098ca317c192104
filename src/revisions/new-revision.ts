/**
 * Where a new revision attaches (`revision --head/--splice/--depends-on/--branch-label`)
 * and what a merge revision joins (`merge`), checked against the graph before any
 * file is written.
 */
import { UserError } from "../errors.js";
import { multipleHeadsError, type RevisionGraph } from "./graph.js";
import { illegalIdReason, type RevisionNode } from "./node.js";
import { resolve, resolveRevision } from "./resolve.js";

export interface NewRevisionRequest {
  /** Spec of the revision to build on: `head` (default), `base` for a new root, `<label>@head`, an id… */
  head?: string;
  /** Allow building on a revision that is not a head, which starts a new branch. */
  splice?: boolean;
  dependsOn?: readonly string[];
  branchLabels?: readonly string[];
}

export interface NewRevisionParents {
  downRevision: string | null;
  /** Dependencies as written to the file: branch labels kept, everything else a full id. */
  dependsOn: string[];
  branchLabels: string[];
}

export function parentsForNewRevision(graph: RevisionGraph<RevisionNode>, request: NewRevisionRequest = {}): NewRevisionParents {
  if (request.head === undefined && graph.heads.length > 1) {
    throw new UserError(
      `Multiple heads are present: ${graph.heads.join(", ")}; pass --head <revision> to build on one of them, or run \`autogen merge heads -m "<message>"\``,
    );
  }
  const headSpec = request.head ?? "head";
  const { revisions } = resolve(headSpec, { graph });
  if (revisions.length > 1) {
    if (headSpec === "heads") throw multipleHeadsError(revisions);
    throw new UserError(`'${headSpec}' names several revisions (${revisions.join(", ")}); give one, or merge them`);
  }
  const downRevision = revisions[0] ?? null;
  if (downRevision !== null && !request.splice && !graph.isHead(downRevision)) {
    throw new UserError(`Revision ${downRevision} is not a head revision; pass --splice to start a new branch from it`);
  }

  const dependsOn: string[] = [];
  for (const dep of request.dependsOn ?? []) {
    const written = graph.labelRevision(dep) !== undefined ? dep : resolveRevision(dep, { graph });
    if (!dependsOn.includes(written)) dependsOn.push(written);
  }

  const branchLabels = [...new Set(request.branchLabels ?? [])];
  for (const label of branchLabels) {
    const reason = illegalIdReason(label);
    if (reason) throw new UserError(`Branch label '${label}' ${reason}`);
    const owner = graph.labelRevision(label);
    if (owner !== undefined) throw new UserError(`Branch label '${label}' is already used by revision ${owner}`);
    if (graph.has(label)) throw new UserError(`Branch label '${label}' is also a revision id`);
  }
  return { downRevision, dependsOn, branchLabels };
}

/** Checks an id chosen for a new revision (`--rev-id`). */
export function checkNewRevisionId(graph: RevisionGraph<RevisionNode>, id: string): void {
  const reason = illegalIdReason(id);
  if (reason) throw new UserError(`Revision id '${id}' ${reason}`);
  if (graph.has(id)) throw new UserError(`Revision id '${id}' already exists${graph.get(id).path ? ` (${graph.get(id).path})` : ""}`);
  if (graph.labelRevision(id) !== undefined) throw new UserError(`Revision id '${id}' is already a branch label`);
}

/**
 * The down revisions of a merge of `specs` (default: every head), in topological
 * order. Fewer than two revisions, or one already below another, is nothing to merge.
 */
export function mergeParents(graph: RevisionGraph<RevisionNode>, specs: readonly string[] = ["heads"]): string[] {
  const picked = new Set<string>();
  for (const spec of specs) for (const id of resolve(spec, { graph }).revisions) picked.add(id);
  const parents = graph.sortTopologically(picked);
  if (parents.length < 2) {
    const named = parents.length ? `only ${parents[0]}` : "no revision";
    throw new UserError(`Nothing to merge: ${specs.join(" ")} names ${named}`);
  }
  for (const id of parents) {
    const above = parents.find((other) => other !== id && graph.ancestors([other]).has(id));
    if (above) throw new UserError(`Cannot merge ${id} with ${above}: ${id} is already an ancestor of ${above}`);
  }
  return parents;
}
