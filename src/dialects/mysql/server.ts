/**
 * What the connected server is, as far as the SQL written for it differs: MariaDB or
 * MySQL, and its version. Read once when a connection opens (`SELECT VERSION()`); the
 * dialect specialised for it (`forServer`) normalises and renders with these traits.
 * Without a connection (`--sql`, `check --offline`) the generic traits apply: SQL that
 * both accept (MySQL 8's), the type a revision names written as named, and TypeORM's
 * varchar for `uuid` where models and database are compared.
 */
export interface ServerTraits {
  /** What VERSION() said, for messages. */
  version: string;
  mariadb: boolean;
  /**
   * The server has a `uuid` column type (MariaDB 10.7+), which TypeORM's `mariadb`
   * driver uses for `uuid` columns there; elsewhere TypeORM writes varchar.
   */
  nativeUuid?: boolean;
  /**
   * `DROP INDEX IF EXISTS` / `ADD INDEX IF NOT EXISTS` inside ALTER TABLE (MariaDB);
   * MySQL 8 has neither, so the renderer decides from the schema state instead.
   */
  indexIfExists: boolean;
  /**
   * The connected database's default collation (@@collation_database): what a table that
   * names none gets, and so what the models' tables have (TypeORM declares no table
   * collation). Unknown without a connection.
   */
  defaultCollation?: string;
  /**
   * The connected database's character set (@@character_set_database): what the server
   * pairs a collation that names none with (MariaDB's uca1400_*). Unknown without a connection.
   */
  defaultCharset?: string;
}

export const GENERIC_SERVER: ServerTraits = { version: "", mariadb: false, indexIfExists: false };

function atLeast(version: string, major: number, minor: number): boolean {
  const [a = 0, b = 0] = version.split(/[.-]/).map((n) => Number.parseInt(n, 10));
  return a > major || (a === major && b >= minor);
}

/** Traits from VERSION() (`10.11.6-MariaDB-0+deb12u1` or `8.0.36`) and the database's default collation. */
export function serverTraits(version: string, defaultCollation?: string, defaultCharset?: string): ServerTraits {
  const mariadb = /mariadb/i.test(version);
  return {
    version,
    mariadb,
    nativeUuid: mariadb && atLeast(version, 10, 7),
    indexIfExists: mariadb,
    ...(defaultCollation ? { defaultCollation: defaultCollation.toLowerCase() } : {}),
    ...(defaultCharset ? { defaultCharset: defaultCharset.toLowerCase() } : {}),
  };
}
