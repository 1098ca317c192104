/**
 * PostgreSQL's own parts of the Schema IR and of a revision's table definition:
 * extensions and exclusion constraints. They are added to the shared interfaces by
 * augmentation, so the field names stay what logs and revision files hold while no
 * shared module names them.
 */

export interface ExtensionIR {
  name: string;
}

export interface ExclusionIR {
  name: string;
  /** Everything after EXCLUDE: `USING gist (room WITH =, during WITH &&) WHERE (…)`, normalised. */
  expression: string;
}

declare module "../../schema/ir.js" {
  interface SchemaIR {
    /**
     * Models: the extensions TypeORM creates when it connects (for hstore, citext,
     * uuid_generate_v4()… columns, exclusion constraints); database: the ones installed.
     * Omitted when there are none.
     */
    extensions?: ExtensionIR[];
  }
  interface TableIR {
    /** TypeORM's @Exclusion. Omitted when there are none. */
    exclusions?: ExclusionIR[];
  }
}

declare module "../../ops/ops.js" {
  interface TableDef {
    exclusions?: ExclusionIR[];
  }
}
