/**
 * Read-only commands: `current`, `heads`, `history`, `branches`, `show`, Laravel's
 * `status`, and the "is the database at head?" check that `check` and autogenerate share.
 */
import type { DbConnection } from "../dialects/dialect.js";
import { categorize, categorized } from "../errors.js";
import {
  appliedSet,
  branches as branchPoints,
  checkVersionRows,
  currentRevisions,
  headRevisions,
  history as historyOf,
  show as showRevisions,
  type BranchPointInfo,
  type RevisionGraph,
  type RevisionInfo,
  type RevisionScript,
} from "../revisions/index.js";
import { Workspace, type CommonOptions } from "./workspace.js";
import { sameSet } from "../schema/compare.js";

export type RevisionDetails = RevisionInfo<RevisionScript>;

function listOrNone(ids: readonly string[]): string {
  return ids.length ? ids.join(", ") : "<base>";
}

/** Throws "database is not up to date" unless the version table's rows are exactly the graph's heads. */
export async function assertAtHead(
  ws: Workspace,
  conn: DbConnection,
  graph: RevisionGraph<RevisionScript>,
  what: string,
): Promise<string[]> {
  let rows: string[];
  try {
    rows = checkVersionRows(graph, await ws.readHeads(conn));
  } catch (err) {
    // A version row naming no known revision: the database and the files disagree.
    throw categorize(err, "state");
  }
  if (!sameSet(rows, graph.heads)) {
    // Several heads: `upgrade head` would refuse, the way forward is a merge revision.
    const advice =
      graph.heads.length > 1
        ? `the revision graph has ${graph.heads.length} heads (${graph.heads.join(", ")}) that are not merged; run \`autogen merge heads -m "merge"\`, then \`autogen upgrade head\``
        : "run `autogen upgrade head` first";
    throw categorized(
      `${what}: database is not up to date (current: ${listOrNone(rows)}; head: ${listOrNone(graph.heads)}); ${advice}`,
      "state",
    );
  }
  return rows;
}

export async function current(options: CommonOptions = {}): Promise<RevisionDetails[]> {
  const ws = Workspace.open(options);
  const graph = ws.graph();
  const rows = await ws.withConnection((conn) => ws.readHeads(conn));
  return currentRevisions(graph, rows);
}

export async function heads(options: CommonOptions = {}): Promise<RevisionDetails[]> {
  const ws = new Workspace(options, "none");
  return headRevisions(ws.graph());
}

export interface HistoryOptions extends CommonOptions {
  range?: string;
  /** Read the version table to mark the current revisions. */
  indicateCurrent?: boolean;
}

export async function history(options: HistoryOptions = {}): Promise<RevisionDetails[]> {
  // The database is read only to mark the current revisions (and connecting says so when there is no URL).
  const ws = new Workspace(options, "none");
  const graph = ws.graph();
  const needsDb = options.indicateCurrent || (options.range ?? "").split(":").includes("current");
  const rows = needsDb ? await ws.withConnection((conn) => ws.readHeads(conn)) : [];
  return historyOf(graph, { currentHeads: rows, ...(options.range !== undefined ? { range: options.range } : {}) });
}

export async function branches(options: CommonOptions = {}): Promise<BranchPointInfo<RevisionScript>[]> {
  const ws = new Workspace(options, "none");
  return branchPoints(ws.graph());
}

export async function show(options: CommonOptions & { revision: string }): Promise<RevisionDetails[]> {
  const ws = new Workspace(options, "none");
  return showRevisions(ws.graph(), options.revision);
}

export interface StatusRow {
  revision: string;
  message: string;
  path: string;
  applied: boolean;
}

/** Laravel's migrate:status: every revision, oldest first, applied or pending. */
export async function status(options: CommonOptions = {}): Promise<StatusRow[]> {
  return (await statusDetails(options)).revisions;
}

export interface StatusDetails {
  revisions: StatusRow[];
  /** The version table's rows. */
  current: string[];
  heads: string[];
}

/** `status` with the current and head revisions (the report formats show them). */
export async function statusDetails(options: CommonOptions = {}): Promise<StatusDetails> {
  const ws = Workspace.open(options);
  const graph = ws.graph();
  const rows = await ws.withConnection((conn) => ws.readHeads(conn));
  let applied: Set<string>;
  try {
    applied = appliedSet(graph, rows);
  } catch (err) {
    throw categorize(err, "state");
  }
  const revisions = graph.order.map((id) => {
    const node = graph.get(id);
    return { revision: id, message: node.message ?? "", path: node.path, applied: applied.has(id) };
  });
  return { revisions, current: rows, heads: [...graph.heads] };
}
