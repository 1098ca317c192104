/**
 * Views: created, dropped, or re-created when their expression text changed (views
 * cannot be altered portably, and TypeORM itself compares the text it recorded).
 *
 * A view also depends on what it reads: a view whose tables (or views) change in this
 * diff is dropped before those changes and created again after them, since PostgreSQL
 * refuses to alter or drop a column a view uses and SQLite's table rebuild cannot
 * rename a table under a view. Order: dependencies first when creating, dependants
 * first when dropping. A view depends on every table or view whose name appears in its
 * expression as an identifier; a false match only costs an order constraint.
 */
import type { Op } from "../ops/ops.js";
import { definitionOf } from "../ops/registry.js";
import type { SchemaIR, ViewIR } from "../schema/ir.js";
import { planned, type PlannedOp } from "./plan.js";

/** Names (of `candidates`) that `expression` mentions as an identifier, quoted or bare. */
export function referencedNames(expression: string, candidates: Iterable<string>): Set<string> {
  const quoted = new Set<string>();
  const bare = new Set<string>();
  for (const m of expression.matchAll(/"((?:[^"]|"")+)"|`([^`]+)`|\[([^\]]+)\]|([A-Za-z_][A-Za-z0-9_$]*)/g)) {
    if (m[4] !== undefined) bare.add(m[4].toLowerCase());
    else quoted.add((m[1] ?? m[2] ?? m[3] ?? "").replaceAll('""', '"'));
  }
  const found = new Set<string>();
  for (const name of candidates) if (quoted.has(name) || bare.has(name.toLowerCase())) found.add(name);
  return found;
}

/** `views` ordered so that every view comes after the views it reads (ties and cycles by name). */
export function viewCreationOrder(views: readonly ViewIR[]): ViewIR[] {
  const names = new Set(views.map((v) => v.name));
  const deps = new Map(views.map((v) => [v.name, referencedNames(v.expression, names)]));
  const remaining = [...views].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const placed = new Set<string>();
  const order: ViewIR[] = [];
  while (remaining.length > 0) {
    const ready = remaining.findIndex((v) => [...deps.get(v.name)!].every((d) => d === v.name || placed.has(d)));
    const [next] = remaining.splice(Math.max(0, ready), 1);
    order.push(next!);
    placed.add(next!.name);
  }
  return order;
}

/** Tables whose ops in `plan` can break a view reading them (anything but index changes). */
function changedTables(plan: readonly PlannedOp[]): Set<string> {
  const changed = new Set<string>();
  const note = (op: Op) => {
    const definition = definitionOf(op);
    if (!definition.changesTable) return;
    for (const table of definition.tablesChanged?.(op) ?? [definition.subject(op).table ?? ""]) changed.add(table);
  };
  for (const p of plan) note(p.op);
  return changed;
}

export interface ViewDiff {
  drops: PlannedOp[];
  creates: PlannedOp[];
}

/** `plan`: the table ops of this diff, whose tables' views must be re-created around them. */
export function diffViews(target: SchemaIR, current: SchemaIR, plan: readonly PlannedOp[]): ViewDiff {
  const wanted = new Map((target.views ?? []).map((v) => [v.name, v]));
  const existing = current.views ?? [];
  const changed = changedTables(plan);
  const dropped = new Set<string>();
  for (const view of existing) {
    const next = wanted.get(view.name);
    const same =
      next &&
      next.expression === view.expression &&
      (next.materialized ?? false) === (view.materialized ?? false) &&
      next.schema === view.schema;
    if (!same || referencedNames(view.expression, changed).size > 0) dropped.add(view.name);
  }
  // A view reading a dropped view is dropped with it (and re-created after, if wanted).
  const allExisting = new Set(existing.map((v) => v.name));
  for (let grew = true; grew;) {
    grew = false;
    for (const view of existing) {
      if (dropped.has(view.name)) continue;
      if ([...referencedNames(view.expression, allExisting)].some((n) => dropped.has(n))) {
        dropped.add(view.name);
        grew = true;
      }
    }
  }
  const kept = new Set(existing.filter((v) => !dropped.has(v.name)).map((v) => v.name));
  const drops = viewCreationOrder(existing.filter((v) => dropped.has(v.name)))
    .reverse()
    .map((view) => planned("dropView", { kind: "dropView", view: structuredClone(view) }));
  const creates = viewCreationOrder([...wanted.values()].filter((v) => !kept.has(v.name))).map((view) =>
    planned("createView", { kind: "createView", view: structuredClone(view) }),
  );
  return { drops, creates };
}
