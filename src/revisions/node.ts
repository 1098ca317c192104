/**
 * The data a revision file contributes to the graph. `RevisionScript` (./scripts.ts)
 * is structurally one of these, so the graph can carry scripts and hand them back
 * from path queries with their upgrade/downgrade functions intact.
 */
export interface RevisionNode {
  readonly revision: string;
  /** `null` (or `[]`) for a base; several ids for a merge revision. */
  readonly downRevision: string | readonly string[] | null;
  /**
   * Revisions (or branch labels) that must be applied first without being merged:
   * they order the upgrade but never consume a version-table row.
   */
  readonly dependsOn?: readonly string[];
  readonly branchLabels?: readonly string[];
  /** The file the revision came from; named in every error about it. */
  readonly path?: string;
  readonly message?: string;
}

/** The down revisions of `node` as a list: empty for a base, several for a merge. */
export function downRevisionsOf(node: RevisionNode): string[] {
  const down = node.downRevision;
  if (down === null || down === undefined) return [];
  return typeof down === "string" ? [down] : [...down];
}

/** `abc123 (versions/abc123_add_users.ts)`, or just the id when no path is known. */
export function describeNode(node: RevisionNode): string {
  return node.path ? `${node.revision} (${node.path})` : node.revision;
}

/** Words that mean something in a revision spec and so cannot be ids or labels. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(["head", "heads", "base", "current"]);

/**
 * Characters that would make a spec ambiguous: `@` separates a branch, `+` starts a
 * relative step, `:` separates a range. `-` is allowed (scripts.ts accepts it); an
 * exact id always wins over reading `x-1` as "one below x".
 */
const ILLEGAL_ID_CHARS = /[@+:\s]/;

export function illegalIdReason(id: string): string | null {
  if (id.length === 0) return "is empty";
  if (ILLEGAL_ID_CHARS.test(id)) return `contains one of "@", "+", ":" or whitespace`;
  if (RESERVED_NAMES.has(id)) return `is a reserved word (head, heads, base, current)`;
  return null;
}
