/**
 * The revision graph: revisions as plain data, validated once, queried many times.
 *
 * Two kinds of edges, as in Alembic:
 *  - "versioned" edges from `downRevision`: they define branches, heads, branch
 *    points and merge points, and they are what the version table tracks;
 *  - dependency edges from `dependsOn`: they only order upgrades (and force
 *    dependents down with their dependency), they never merge branches.
 *
 * Every order this module returns follows one deterministic topological order, so
 * output does not depend on the order the files were read in.
 */
import { UserError } from "../errors.js";
import { describeNode, downRevisionsOf, illegalIdReason, type RevisionNode } from "./node.js";

export interface TraversalOptions {
  /** Follow `dependsOn` edges as well as `downRevision` (default true). */
  includeDependencies?: boolean;
  /** Include the starting revisions themselves (default true). */
  inclusive?: boolean;
}

export class RevisionGraph<N extends RevisionNode = RevisionNode> {
  private readonly byId: ReadonlyMap<string, N>;
  private readonly downs: ReadonlyMap<string, readonly string[]>;
  /** `dependsOn` resolved to revision ids (entries may name branch labels). */
  private readonly deps: ReadonlyMap<string, readonly string[]>;
  private readonly childrenOf: ReadonlyMap<string, readonly string[]>;
  private readonly dependentsOf: ReadonlyMap<string, readonly string[]>;
  private readonly labelOwner: ReadonlyMap<string, string>;
  private readonly labelsOf: ReadonlyMap<string, readonly string[]>;
  private readonly positions: ReadonlyMap<string, number>;
  /** Every revision id, parents before children. */
  readonly order: readonly string[];
  /** Revisions no other revision names as its down revision. */
  readonly heads: readonly string[];
  /** Revisions without a down revision (they may still have dependencies). */
  readonly bases: readonly string[];

  private constructor(parts: {
    byId: Map<string, N>;
    downs: Map<string, string[]>;
    deps: Map<string, string[]>;
    labelOwner: Map<string, string>;
  }) {
    this.byId = parts.byId;
    this.downs = parts.downs;
    this.deps = parts.deps;
    this.labelOwner = parts.labelOwner;

    const children = new Map<string, string[]>();
    const dependents = new Map<string, string[]>();
    for (const id of parts.byId.keys()) {
      children.set(id, []);
      dependents.set(id, []);
    }
    for (const [id, downs] of parts.downs) for (const d of downs) children.get(d)!.push(id);
    for (const [id, deps] of parts.deps) for (const d of deps) dependents.get(d)!.push(id);

    this.order = topologicalOrder([...parts.byId.keys()], parts.downs, parts.deps, children, dependents);
    const positions = new Map(this.order.map((id, i) => [id, i] as const));
    this.positions = positions;
    const byPosition = (a: string, b: string) => positions.get(a)! - positions.get(b)!;
    for (const list of children.values()) list.sort(byPosition);
    for (const list of dependents.values()) list.sort(byPosition);
    this.childrenOf = children;
    this.dependentsOf = dependents;

    this.heads = this.order.filter((id) => children.get(id)!.length === 0);
    this.bases = this.order.filter((id) => parts.downs.get(id)!.length === 0);

    // A label names its revision and everything built on top of it (Alembic's rule).
    const labels = new Map<string, string[]>();
    for (const id of this.order) labels.set(id, []);
    for (const [label, owner] of [...parts.labelOwner].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      for (const id of this.descendants([owner], { includeDependencies: false })) labels.get(id)!.push(label);
    }
    this.labelsOf = labels;
  }

  /**
   * Builds and validates a graph. Throws a one-line `UserError` for: an illegal or
   * duplicated id, a down revision or dependency that does not exist, a revision
   * revising itself, a cycle, a branch label used twice or clashing with an id.
   */
  static fromNodes<N extends RevisionNode>(nodes: Iterable<N>): RevisionGraph<N> {
    const byId = new Map<string, N>();
    for (const node of nodes) {
      const reason = illegalIdReason(node.revision);
      if (reason) throw new UserError(`Revision id '${node.revision}'${where(node)} ${reason}`);
      const existing = byId.get(node.revision);
      if (existing) {
        const paths = [existing.path, node.path].filter(Boolean).join(" and ");
        throw new UserError(`Revision id '${node.revision}' is defined twice${paths ? `: ${paths}` : ""}`);
      }
      byId.set(node.revision, node);
    }

    const labelOwner = new Map<string, string>();
    for (const node of byId.values()) {
      for (const label of new Set(node.branchLabels ?? [])) {
        const reason = illegalIdReason(label);
        if (reason) throw new UserError(`Branch label '${label}' of revision ${describeNode(node)} ${reason}`);
        const owner = labelOwner.get(label);
        if (owner !== undefined) {
          throw new UserError(`Branch label '${label}' is used by both ${describeNode(byId.get(owner)!)} and ${describeNode(node)}`);
        }
        if (byId.has(label)) {
          throw new UserError(`Branch label '${label}' of revision ${describeNode(node)} is also a revision id`);
        }
        labelOwner.set(label, node.revision);
      }
    }

    const downs = new Map<string, string[]>();
    const deps = new Map<string, string[]>();
    for (const node of byId.values()) {
      const nodeDowns = downRevisionsOf(node);
      const seen = new Set<string>();
      for (const down of nodeDowns) {
        if (down === node.revision) {
          throw new UserError(`Revision ${describeNode(node)} names itself as its down revision`);
        }
        if (seen.has(down)) throw new UserError(`Revision ${describeNode(node)} lists down revision '${down}' twice`);
        seen.add(down);
        if (!byId.has(down)) {
          throw new UserError(`Revision ${describeNode(node)} has down revision '${down}', which does not exist`);
        }
      }
      downs.set(node.revision, nodeDowns);

      const nodeDeps: string[] = [];
      for (const dep of node.dependsOn ?? []) {
        const target = byId.has(dep) ? dep : labelOwner.get(dep);
        if (target === undefined) {
          throw new UserError(`Revision ${describeNode(node)} depends on '${dep}', which is neither a revision nor a branch label`);
        }
        if (target === node.revision) throw new UserError(`Revision ${describeNode(node)} depends on itself`);
        if (!nodeDeps.includes(target)) nodeDeps.push(target);
      }
      deps.set(node.revision, nodeDeps);
    }

    const cycle = findCycle([...byId.keys()].sort(), downs, deps);
    if (cycle) {
      const files = cycle
        .slice(0, -1)
        .map((id) => byId.get(id)!.path)
        .filter(Boolean);
      throw new UserError(`Revision cycle detected: ${cycle.join(" -> ")}${files.length ? ` (in ${files.join(", ")})` : ""}`);
    }

    return new RevisionGraph({ byId, downs, deps, labelOwner });
  }

  get size(): number {
    return this.byId.size;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** The node for an exact id; unknown ids are a user error. */
  get(id: string): N {
    const node = this.byId.get(id);
    if (!node) throw new UserError(`Can't locate revision identified by '${id}'`);
    return node;
  }

  /** Nodes in topological order (parents first). */
  nodes(): N[] {
    return this.order.map((id) => this.byId.get(id)!);
  }

  downRevisions(id: string): readonly string[] {
    return this.known(this.downs, id);
  }

  /** `dependsOn` as revision ids (labels resolved to the revision carrying them). */
  dependencies(id: string): readonly string[] {
    return this.known(this.deps, id);
  }

  /** Down revisions then dependencies, without repeats: everything that must be applied first. */
  parents(id: string): string[] {
    return [...new Set([...this.downRevisions(id), ...this.dependencies(id)])];
  }

  /** Revisions whose `downRevision` names `id`. */
  children(id: string): readonly string[] {
    return this.known(this.childrenOf, id);
  }

  /** Revisions whose `dependsOn` names `id` (directly or through a label). */
  dependents(id: string): readonly string[] {
    return this.known(this.dependentsOf, id);
  }

  isHead(id: string): boolean {
    return this.children(id).length === 0;
  }

  isBase(id: string): boolean {
    return this.downRevisions(id).length === 0;
  }

  isBranchPoint(id: string): boolean {
    return this.children(id).length > 1;
  }

  isMergePoint(id: string): boolean {
    return this.downRevisions(id).length > 1;
  }

  branchPoints(): string[] {
    return this.order.filter((id) => this.isBranchPoint(id));
  }

  mergePoints(): string[] {
    return this.order.filter((id) => this.isMergePoint(id));
  }

  /** Ancestors of `ids` (set in topological order). */
  ancestors(ids: Iterable<string>, options: TraversalOptions = {}): Set<string> {
    const withDeps = options.includeDependencies ?? true;
    return this.collect(ids, options.inclusive ?? true, (id) => (withDeps ? this.parents(id) : this.downRevisions(id)));
  }

  /** Descendants of `ids` (set in topological order). */
  descendants(ids: Iterable<string>, options: TraversalOptions = {}): Set<string> {
    const withDeps = options.includeDependencies ?? true;
    return this.collect(ids, options.inclusive ?? true, (id) =>
      withDeps ? [...this.children(id), ...this.dependents(id)] : this.children(id),
    );
  }

  /**
   * Everything on the same line of history as `id`: its ancestors and descendants.
   * Used to narrow heads or roots to a branch (`label@head`, `label@-1`).
   */
  lineage(id: string, options: Omit<TraversalOptions, "inclusive"> = {}): Set<string> {
    return new Set([...this.ancestors([id], options), ...this.descendants([id], options)]);
  }

  /** The revision a branch label is declared on, or undefined. */
  labelRevision(label: string): string | undefined {
    return this.labelOwner.get(label);
  }

  /** Every declared branch label, sorted. */
  labels(): string[] {
    return [...this.labelOwner.keys()].sort();
  }

  /** Labels declared on `id` itself. */
  ownLabels(id: string): string[] {
    return [...new Set(this.get(id).branchLabels ?? [])];
  }

  /** Labels `id` carries: its own and those of every revision it is built on. */
  branchLabels(id: string): readonly string[] {
    return this.known(this.labelsOf, id);
  }

  /** The single head of the branch `label` names; several heads is a user error. */
  branchHead(label: string): string {
    const owner = this.labelOwner.get(label);
    if (owner === undefined) throw new UserError(`No such branch: '${label}'`);
    const line = this.lineage(owner, { includeDependencies: false });
    const heads = this.heads.filter((h) => line.has(h));
    if (heads.length > 1) throw multipleHeadsError(heads, `${label}@head`);
    return heads[0]!;
  }

  /** `ids` in the graph's topological order, without repeats. */
  sortTopologically(ids: Iterable<string>): string[] {
    const unique = [...new Set(ids)];
    for (const id of unique) this.get(id);
    return unique.sort((a, b) => this.positions.get(a)! - this.positions.get(b)!);
  }

  private known<T>(map: ReadonlyMap<string, T>, id: string): T {
    const value = map.get(id);
    if (value === undefined) throw new UserError(`Can't locate revision identified by '${id}'`);
    return value;
  }

  private collect(ids: Iterable<string>, inclusive: boolean, next: (id: string) => readonly string[]): Set<string> {
    const seen = new Set<string>();
    const starts = [...ids];
    const todo: string[] = [];
    for (const id of starts) {
      this.get(id);
      if (inclusive) {
        if (!seen.has(id)) {
          seen.add(id);
          todo.push(id);
        }
      } else {
        todo.push(id);
      }
    }
    const expanded = new Set<string>();
    while (todo.length) {
      const id = todo.pop()!;
      if (expanded.has(id)) continue;
      expanded.add(id);
      for (const n of next(id)) {
        if (!seen.has(n)) {
          seen.add(n);
          todo.push(n);
        }
      }
    }
    return new Set(this.sortTopologically(seen));
  }
}

/** The error every "which head?" ambiguity raises, pointing at the way out. */
export function multipleHeadsError(heads: readonly string[], argument = "head"): UserError {
  const forArgument = argument === "head" ? "" : ` for '${argument}'`;
  return new UserError(
    `Multiple heads are present${forArgument}: ${heads.join(", ")}; give a specific target or run \`autogen merge heads -m "<message>"\``,
  );
}

function where(node: RevisionNode): string {
  return node.path ? ` (${node.path})` : "";
}

/**
 * Finds one cycle over down-revision and dependency edges, returned in upgrade
 * order with the first revision repeated at the end (`a -> b -> a`), or null.
 */
function findCycle(
  ids: string[],
  downs: ReadonlyMap<string, readonly string[]>,
  deps: ReadonlyMap<string, readonly string[]>,
): string[] | null {
  const parentsOf = (id: string) => [...new Set([...downs.get(id)!, ...deps.get(id)!])].sort();
  const state = new Map<string, "open" | "done">();
  for (const start of ids) {
    if (state.has(start)) continue;
    // Iterative DFS: long linear histories must not exhaust the call stack.
    const path: string[] = [start];
    const pending: string[][] = [parentsOf(start)];
    state.set(start, "open");
    while (path.length) {
      const next = pending[pending.length - 1]!.shift();
      if (next === undefined) {
        state.set(path.pop()!, "done");
        pending.pop();
        continue;
      }
      const s = state.get(next);
      if (s === "open") {
        // path runs child -> parent; reverse it so the cycle reads in upgrade order.
        const loop = path.slice(path.indexOf(next)).reverse();
        return [...loop, loop[0]!];
      }
      if (s === "done") continue;
      state.set(next, "open");
      path.push(next);
      pending.push(parentsOf(next));
    }
  }
  return null;
}

/**
 * A deterministic topological order (parents before children) that keeps each
 * branch contiguous: reverse post-order of a depth-first walk from the roots, with
 * ties broken by id so the result does not depend on file order.
 */
function topologicalOrder(
  ids: string[],
  downs: ReadonlyMap<string, readonly string[]>,
  deps: ReadonlyMap<string, readonly string[]>,
  children: ReadonlyMap<string, readonly string[]>,
  dependents: ReadonlyMap<string, readonly string[]>,
): string[] {
  const descending = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);
  const roots = ids.filter((id) => downs.get(id)!.length === 0 && deps.get(id)!.length === 0).sort(descending);
  const nextOf = (id: string) => [...new Set([...children.get(id)!, ...dependents.get(id)!])].sort(descending);
  const visited = new Set<string>();
  const postOrder: string[] = [];
  for (const root of roots) {
    if (visited.has(root)) continue;
    visited.add(root);
    const stack: Array<{ id: string; next: string[] }> = [{ id: root, next: nextOf(root) }];
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const child = top.next.shift();
      if (child === undefined) {
        postOrder.push(top.id);
        stack.pop();
      } else if (!visited.has(child)) {
        visited.add(child);
        stack.push({ id: child, next: nextOf(child) });
      }
    }
  }
  return postOrder.reverse();
}
