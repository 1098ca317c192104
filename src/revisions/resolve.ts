/**
 * Revision specs, as a user types them, resolved against a graph (Alembic's syntax):
 *
 *   head | heads | base          the single head / every head / nothing applied
 *   <id> | <prefix> | <label>    an exact id, a unique id prefix, or the revision a
 *                                branch label is declared on
 *   +N | -N                      N steps up / down from the current heads
 *   <x>+N | <x>-N                N steps up / down from x (x may be head, base, an id)
 *   <branch>@<any of the above>  narrowed to one branch: `<branch>` is a label (or a
 *                                revision id), e.g. `accounts@head`, `accounts@-1`
 *
 * Walks follow `downRevision` only. A walk that meets a branch point going up or a
 * merge point going down is ambiguous and must be narrowed with a branch.
 */
import { UserError } from "../errors.js";
import { multipleHeadsError, type RevisionGraph } from "./graph.js";
import type { RevisionNode } from "./node.js";
import { checkVersionRows, headsOfApplied } from "./version-rows.js";

export interface ResolveContext<N extends RevisionNode = RevisionNode> {
  graph: RevisionGraph<N>;
  /** Rows of the version table: where `+N` / `-N` without an anchor start. */
  currentHeads?: readonly string[];
}

/** A branch a spec was narrowed to: what the user wrote and the revision it stands for. */
export interface BranchScope {
  name: string;
  anchor: string;
}

export interface ResolvedTarget {
  /** Revision ids in topological order; empty means `base` (nothing applied). */
  revisions: string[];
  /**
   * The branch the spec was narrowed to, or null. A bare `-N` is narrowed to the
   * head it walked down from, so a downgrade only unwinds that line.
   */
  branch: BranchScope | null;
}

export interface ParsedSpec {
  /** Text before `@`, or null. */
  branch: string | null;
  /** `head`, `heads`, `base`, an id, prefix or label; null for a bare `+N` / `-N`. */
  symbol: string | null;
  /** Signed relative steps, or null for an absolute spec. */
  steps: number | null;
}

const RELATIVE = /^(.*)([+-])(\d+)$/;

/**
 * Splits a spec into branch, symbol and steps. An exact revision id or branch label
 * is never read as relative, so an id like `rev-12` still names itself.
 */
export function parseSpec(graph: RevisionGraph<RevisionNode>, spec: string): ParsedSpec {
  const invalid = () => new UserError(`Invalid revision spec '${spec}'`);
  if (spec.trim() === "") throw invalid();
  if (graph.has(spec)) return { branch: null, symbol: spec, steps: null };
  const at = spec.indexOf("@");
  const branch = at >= 0 ? spec.slice(0, at) : null;
  const rest = at >= 0 ? spec.slice(at + 1) : spec;
  if (branch === "" || rest === "") throw invalid();
  if (graph.has(rest) || graph.labelRevision(rest) !== undefined) return { branch, symbol: rest, steps: null };
  const match = RELATIVE.exec(rest);
  if (!match) return { branch, symbol: rest, steps: null };
  const steps = Number(match[3]) * (match[2] === "-" ? -1 : 1);
  return { branch, symbol: match[1] === "" ? null : match[1]!, steps };
}

/** True for `-N` / `<branch>@-N`: moves down from the current heads. */
export function isDownwardFromCurrent(parsed: ParsedSpec): boolean {
  return parsed.symbol === null && parsed.steps !== null && parsed.steps < 0;
}

/** True for `+N` / `<branch>@+N`: moves up from the current heads. */
export function isUpwardFromCurrent(parsed: ParsedSpec): boolean {
  return parsed.symbol === null && parsed.steps !== null && parsed.steps > 0;
}

/** Resolves a spec to revision ids (empty for base) and the branch it was narrowed to. */
export function resolve<N extends RevisionNode>(spec: string, context: ResolveContext<N>): ResolvedTarget {
  const { graph } = context;
  const parsed = parseSpec(graph, spec);
  const scope = parsed.branch === null ? null : resolveBranch(graph, parsed.branch);

  if (parsed.steps === null) {
    return { revisions: resolveSymbol(graph, parsed.symbol!, scope), branch: scope };
  }
  if (parsed.steps === 0 && parsed.symbol === null) {
    throw new UserError(`Relative revision '${spec}' must move at least one step`);
  }

  let start: string | null;
  let branch = scope;
  if (parsed.symbol !== null) {
    const starts = resolveSymbol(graph, parsed.symbol, scope);
    if (starts.length > 1) {
      throw new UserError(`'${parsed.symbol}' in '${spec}' names several revisions (${starts.join(", ")}); give one`);
    }
    start = starts[0] ?? null;
  } else {
    const current = checkVersionRows(graph, context.currentHeads ?? []);
    start = currentStart(graph, spec, parsed.steps, current, scope);
    if (parsed.steps < 0 && branch === null) branch = { name: start!, anchor: start! };
  }

  if (parsed.steps > 0) {
    const end = walkUp(graph, spec, start, parsed.steps, scope);
    return { revisions: end === null ? [] : [end], branch };
  }
  return { revisions: walkDown(graph, spec, start, -parsed.steps), branch };
}

/** Resolves a spec that must name exactly one revision (`show`, `--head` of a new revision). */
export function resolveRevision<N extends RevisionNode>(spec: string, context: ResolveContext<N>): string {
  const { revisions } = resolve(spec, context);
  if (revisions.length === 0) throw new UserError(`'${spec}' names base, not a revision`);
  if (revisions.length > 1) throw new UserError(`'${spec}' names several revisions (${revisions.join(", ")}); give one`);
  return revisions[0]!;
}

/**
 * An id, a branch label (the revision it is declared on) or a unique id prefix,
 * optionally restricted to a branch's lineage.
 */
export function resolveIdentifier(graph: RevisionGraph<RevisionNode>, identifier: string, scope: BranchScope | null = null): string {
  let found: string;
  if (graph.has(identifier)) {
    found = identifier;
  } else if (graph.labelRevision(identifier) !== undefined) {
    found = graph.labelRevision(identifier)!;
  } else {
    let candidates = graph.order.filter((id) => id.startsWith(identifier));
    if (scope && candidates.length > 1) {
      const line = graph.lineage(scope.anchor, { includeDependencies: false });
      candidates = candidates.filter((id) => line.has(id));
    }
    if (candidates.length === 0) throw new UserError(`Can't locate revision identified by '${identifier}'`);
    if (candidates.length > 1) {
      throw new UserError(`Multiple revisions start with '${identifier}': ${[...candidates].sort().join(", ")}`);
    }
    found = candidates[0]!;
  }
  if (scope && !graph.lineage(scope.anchor, { includeDependencies: false }).has(found)) {
    throw new UserError(`Revision ${found} is not a member of branch '${scope.name}'`);
  }
  return found;
}

/** A branch qualifier: a label, else a revision id or prefix standing for its own line. */
export function resolveBranch(graph: RevisionGraph<RevisionNode>, name: string): BranchScope {
  const labelled = graph.labelRevision(name);
  if (labelled !== undefined) return { name, anchor: labelled };
  try {
    return { name, anchor: resolveIdentifier(graph, name) };
  } catch (err) {
    if (err instanceof UserError && err.message.startsWith("Can't locate")) {
      throw new UserError(`No such branch: '${name}'`);
    }
    throw err;
  }
}

function resolveSymbol(graph: RevisionGraph<RevisionNode>, symbol: string, scope: BranchScope | null): string[] {
  const inScope = (ids: readonly string[]) => {
    if (!scope) return [...ids];
    const line = graph.lineage(scope.anchor, { includeDependencies: false });
    return ids.filter((id) => line.has(id));
  };
  switch (symbol) {
    case "base":
      return [];
    case "heads":
      return inScope(graph.heads);
    case "head": {
      const heads = inScope(graph.heads);
      if (heads.length > 1) throw multipleHeadsError(heads, scope ? `${scope.name}@head` : "head");
      return heads;
    }
    default:
      return [resolveIdentifier(graph, symbol, scope)];
  }
}

/** Where a bare `+N` / `-N` starts: the one current head (on the branch, if narrowed). */
function currentStart(
  graph: RevisionGraph<RevisionNode>,
  spec: string,
  steps: number,
  current: string[],
  scope: BranchScope | null,
): string | null {
  let starts = current;
  if (scope) {
    const line = graph.lineage(scope.anchor, { includeDependencies: false });
    starts = current.filter((id) => line.has(id));
    if (starts.length === 0) {
      // The branch's own head row may be absent (it forked off below another row):
      // start from the highest applied revisions on the branch instead.
      const applied = graph.ancestors(current);
      starts = headsOfApplied(
        graph,
        [...applied].filter((id) => line.has(id)),
      );
    }
  }
  if (starts.length > 1) {
    const example = `<branch>@${steps > 0 ? "+" : "-"}${Math.abs(steps)}`;
    throw new UserError(`Multiple current heads (${starts.join(", ")}): '${spec}' is ambiguous; qualify it with a branch, e.g. ${example}`);
  }
  if (starts.length === 0 && steps < 0) {
    const onBranch = scope ? ` on branch '${scope.name}'` : "";
    throw new UserError(`Relative revision '${spec}' didn't produce ${-steps} migrations: nothing${onBranch} is applied`);
  }
  return starts[0] ?? null;
}

function walkUp(
  graph: RevisionGraph<RevisionNode>,
  spec: string,
  start: string | null,
  steps: number,
  scope: BranchScope | null,
): string | null {
  const line = scope ? graph.lineage(scope.anchor, { includeDependencies: false }) : null;
  let at = start;
  for (let i = 0; i < steps; i++) {
    let next = at === null ? [...graph.bases] : [...graph.children(at)];
    if (line) next = next.filter((id) => line.has(id));
    if (next.length === 0) {
      throw new UserError(
        `Relative revision '${spec}' didn't produce ${steps} migrations: ${at ?? "base"} has nothing above it${scope ? ` on branch '${scope.name}'` : ""}`,
      );
    }
    if (next.length > 1) {
      const from = at === null ? "there are several bases" : `${at} is a branch point`;
      throw new UserError(
        `Relative revision '${spec}' is ambiguous: ${from} (${next.join(", ")}); qualify it with a branch, e.g. <branch>@${spec.replace(/^.*@/, "")}`,
      );
    }
    at = next[0]!;
  }
  return at;
}

/**
 * Walks `steps` down from `start`. The last step may land on a merge point's parents
 * (as Alembic's `downgrade -1` from a merge returns to the heads it joined); a merge
 * point in the middle of the walk is ambiguous.
 */
function walkDown(graph: RevisionGraph<RevisionNode>, spec: string, start: string | null, steps: number): string[] {
  let at = start;
  for (let i = 0; i < steps; i++) {
    if (at === null) {
      throw new UserError(`Relative revision '${spec}' goes below base: only ${i} of ${steps} steps are possible`);
    }
    const downs = graph.downRevisions(at);
    if (downs.length > 1) {
      if (i === steps - 1) return [...downs];
      throw new UserError(
        `Relative revision '${spec}' is ambiguous: ${at} is a merge point (${downs.join(", ")}); give a revision instead`,
      );
    }
    at = downs[0] ?? null;
  }
  return at === null ? [] : [at];
}
