/** Text layouts for the read-only commands, in Alembic's style. */
import type { RevisionDetails, StatusRow } from "../api/index.js";
import { markers } from "../revisions/describe.js";

/** `a1b2 -> c3d4 (head) (current), add user role` */
export function formatHistoryLine(r: RevisionDetails): string {
  const down = r.downRevisions.length === 0 ? "<base>" : r.downRevisions.join(", ");
  const marks = markers(r)
    .map((m) => ` (${m})`)
    .join("");
  return `${down} -> ${r.revision}${marks}${r.message ? `, ${r.message}` : ""}`;
}

export function formatRevisionDetails(r: RevisionDetails): string {
  const lines = [
    `Rev: ${r.revision}${markers(r)
      .map((m) => ` (${m})`)
      .join("")}`,
    `Parent: ${r.downRevisions.length ? r.downRevisions.join(", ") : "<base>"}`,
  ];
  if (r.dependsOn.length) lines.push(`Also depends on: ${r.dependsOn.join(", ")}`);
  if (r.children.length && r.isBranchPoint) lines.push(`Branches into: ${r.children.join(", ")}`);
  if (r.isMergePoint) lines.push(`Merges: ${r.downRevisions.join(", ")}`);
  if (r.branchLabels.length) lines.push(`Branch names: ${r.branchLabels.join(", ")}`);
  if (r.path) lines.push(`Path: ${r.path}`);
  lines.push("", `    ${r.message ?? ""}`);
  return lines.join("\n");
}

export function formatStatusTable(rows: readonly StatusRow[]): string {
  const header = ["Revision", "Message", "Status"] as const;
  const cells = rows.map((r) => [r.revision, r.message, r.applied ? "Applied" : "Pending"]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? "").length)));
  const line = (c: readonly string[]) =>
    c
      .map((v, i) => v.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}
