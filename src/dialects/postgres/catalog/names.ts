/**
 * Names as PostgreSQL stores and invents them: identifiers cut to 63 bytes, and the
 * names it chooses for unnamed constraints and serial sequences.
 */

/** PostgreSQL keeps at most 63 bytes of an identifier (NAMEDATALEN - 1) and silently cuts the rest. */
export const MAX_IDENTIFIER_BYTES = 63;

/** The name PostgreSQL actually stores: cut to 63 bytes on a character boundary. */
export function truncateIdentifier(name: string): string {
  if (Buffer.byteLength(name, "utf8") <= MAX_IDENTIFIER_BYTES) return name;
  let out = "";
  let bytes = 0;
  for (const ch of name) {
    const size = Buffer.byteLength(ch, "utf8");
    if (bytes + size > MAX_IDENTIFIER_BYTES) break;
    out += ch;
    bytes += size;
  }
  return out;
}

/**
 * The name PostgreSQL chooses for an unnamed constraint (ChooseConstraintName without
 * its collision counter): `<table>_<columns>_<label>`, the longer of the two name parts
 * shortened until the whole fits in 63 bytes.
 */
export function defaultConstraintName(table: string, columns: string[], label: string): string {
  let name1 = table;
  let name2 = columns.join("_");
  const overhead = label.length + 1 + (name2 ? 1 : 0);
  while (Buffer.byteLength(name1) + Buffer.byteLength(name2) + overhead > MAX_IDENTIFIER_BYTES) {
    if (Buffer.byteLength(name1) > Buffer.byteLength(name2)) name1 = [...name1].slice(0, -1).join("");
    else name2 = [...name2].slice(0, -1).join("");
  }
  return name2 ? `${name1}_${name2}_${label}` : `${name1}_${label}`;
}

/** The sequence SERIAL creates for `table.column` (`<table>_<column>_seq`). */
export function serialSequenceName(table: string, column: string): string {
  return defaultConstraintName(table, [column], "seq");
}
