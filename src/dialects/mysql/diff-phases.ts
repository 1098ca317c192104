/**
 * MySQL's own part of the diff: a table's engine and default collation.
 */
import { planned, type OpFinding } from "../../diff/plan.js";
import type { DatabaseDiffPhases } from "../../diff/types.js";
import { applyOps } from "../../ops/apply.js";
import type { Op } from "../../ops/ops.js";
import type { TableChanges } from "./op-kinds.js";

/**
 * A new table collation converts every text value of every row: the table is rebuilt
 * while writes wait, and characters the new character set cannot hold are lost.
 */
function collationConversion(table: string, change: { from: string | null; to: string | null }): OpFinding {
  const show = (v: string | null) => v ?? "the database's default";
  return {
    kind: "destructive",
    table,
    message:
      `Converts every row of ${table} from collation ${show(change.from)} to ${show(change.to)}: the table is rebuilt ` +
      `and writes wait until it ends; characters the new character set cannot hold are lost.`,
  };
}

export const mysqlDiffPhases: DatabaseDiffPhases = {
  /**
   * A changed engine or table collation: one alterTable, and the table as it is after it
   * (a column whose own collation becomes the table's names none any more).
   */
  tableOptions(target, current, dialect) {
    const changes: TableChanges = {};
    if (target.engine !== current.engine) changes.engine = { from: current.engine ?? null, to: target.engine ?? null };
    if (target.collation !== current.collation) changes.collation = { from: current.collation ?? null, to: target.collation ?? null };
    if (!changes.engine && !changes.collation) return { ops: [], after: current };
    const op: Op = { kind: "alterTable", table: current.name, changes };
    const after = applyOps({ dialect, tables: [current], enums: [] }, [op]).tables[0] ?? current;
    return { ops: [planned("tableOptions", op, changes.collation ? [collationConversion(current.name, changes.collation)] : [])], after };
  },
};
