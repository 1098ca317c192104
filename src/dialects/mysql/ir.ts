/**
 * MySQL's own table options in the Schema IR and in a revision's table definition,
 * added to the shared interfaces by augmentation so that no shared module names them.
 */

declare module "../../schema/ir.js" {
  interface TableIR {
    /**
     * The storage engine (`MyISAM`, `Aria`). Omitted for InnoDB, which is what TypeORM
     * writes for an entity that names none.
     */
    engine?: string;
    /**
     * The table's default collation (its character set follows from the name). Omitted
     * where it is the database's default, which is all TypeORM can declare.
     */
    collation?: string;
  }
}

declare module "../../ops/ops.js" {
  interface TableDef {
    /** Storage engine (default InnoDB). */
    engine?: string;
    /** The table's default collation (default: the database's). */
    collation?: string;
  }
}

export {};
