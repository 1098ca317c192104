/**
 * Quoting for MySQL and MariaDB: identifiers in backticks (so TypeORM's mixed-case
 * names such as `firstName` keep their case on every platform), literals in single
 * quotes. Under the default sql_mode a backslash starts an escape inside a literal, so
 * it is doubled along with the quote.
 */

export function quoteIdent(name: string): string {
  return `\`${name.replaceAll("`", "``")}\``;
}

export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "''")}'`;
}
