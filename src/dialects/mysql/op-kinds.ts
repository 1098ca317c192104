/**
 * Op kinds only MySQL and MariaDB have: a table's storage engine and default collation
 * (`alterTable`). The payload joins the `Op` union through `DatabaseOps`, the recorder
 * method joins `Operations` through `DatabaseOperations`; everything shared code needs of
 * it is in the definition below (see ../../ops/kind.ts). Its SQL is in ./render.ts.
 */
import type { DatabaseOpKindDefinition } from "../../ops/kind.js";
import type { Change } from "../../ops/ops.js";

/** What `alterTable` changes. `null`: back to the default (InnoDB, the database's collation). */
export interface TableChanges {
  engine?: Change<string | null>;
  /** The table's default collation; columns that follow the table's follow it, columns with their own keep theirs. */
  collation?: Change<string | null>;
}

export interface AlterTableOp {
  kind: "alterTable";
  table: string;
  changes: TableChanges;
}

declare module "../../ops/ops.js" {
  interface DatabaseOps {
    alterTable: AlterTableOp;
  }
  interface DatabaseOperations {
    /** MySQL table options: the storage engine, the table's collation (ALTER TABLE … ENGINE= / CONVERT TO CHARACTER SET). */
    alterTable(table: string, changes: TableChanges): void;
  }
}

const swap = <T>(change: Change<T>): Change<T> => ({ from: change.to, to: change.from });

const alterTable: DatabaseOpKindDefinition<AlterTableOp> = {
  kind: "alterTable",
  database: "MySQL",
  lacking: "table engine or table collation",
  method: "alterTable",
  record: (table: string, changes: TableChanges) => ({ kind: "alterTable", table, changes }),
  // Keys in the order revision files have always had them.
  callArgs: (op) => [
    op.table,
    {
      ...(op.changes.collation ? { collation: op.changes.collation } : {}),
      ...(op.changes.engine ? { engine: op.changes.engine } : {}),
    },
  ],
  reverse(op) {
    const changes: TableChanges = {};
    if (op.changes.engine) changes.engine = swap(op.changes.engine);
    if (op.changes.collation) changes.collation = swap(op.changes.collation);
    return { kind: "alterTable", table: op.table, changes };
  },
  /**
   * Columns that followed the old collation follow the new one (nothing to record: they
   * name none); a column whose own collation is the new one now follows the table's.
   */
  apply(op, edit) {
    const table = edit.table(op.table);
    const { engine, collation } = op.changes;
    if (engine) {
      if (engine.to === null) delete table.engine;
      else table.engine = engine.to;
    }
    if (collation) {
      const to = collation.to;
      if (to === null) delete table.collation;
      else table.collation = to;
      for (const column of table.columns) if (to !== null && column.collation === to) delete column.collation;
    }
  },
  subject: (op) => ({ table: op.table }),
  describe: (op) => `changed table options of '${op.table}': ${Object.keys(op.changes).join(", ")}`,
  changesTable: true,
  lint(op, ctx) {
    // Not a lock in PostgreSQL's sense but a whole-table copy.
    if (op.changes.collation && ctx.tableExisted(op.table)) {
      ctx.add(
        "collation-convert",
        `${op.table} to ${op.changes.collation.to ?? "the database default"}`,
        "run it in a maintenance window, or copy into a new table and switch over",
      );
    }
  },
};

export const mysqlOpKinds = [alterTable] as const;
