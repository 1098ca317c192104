/**
 * Engine, character set and collation names go into DDL as bare words (MySQL does not
 * take them quoted everywhere), so only plain names pass: anything else, such as
 * `InnoDB; DROP TABLE x`, is refused before a statement is built.
 */
import { UserError } from "../../errors.js";

const PLAIN_NAME = /^[A-Za-z0-9_]+$/;

export function plainName(what: "engine" | "collation" | "character set", table: string, value: string): string {
  if (!PLAIN_NAME.test(value)) {
    throw new UserError(`table ${table}: ${what} ${JSON.stringify(value)} is not a plain name (letters, digits and _ only)`);
  }
  return value;
}

/** Character sets as MySQL and MariaDB name them: a collation's first word when it names one. */
const CHARSETS = new Set(
  (
    "armscii8 ascii big5 binary cp1250 cp1251 cp1256 cp1257 cp850 cp852 cp866 cp932 dec8 eucjpms euckr gb18030 gb2312 gbk " +
    "geostd8 greek hebrew hp8 keybcs2 koi8r koi8u latin1 latin2 latin5 latin7 macce macroman sjis swe7 tis620 ucs2 ujis " +
    "utf16 utf16le utf32 utf8 utf8mb3 utf8mb4"
  ).split(" "),
);

/**
 * The character set a collation belongs to: its name's first word (`utf8mb4_unicode_ci`
 * → utf8mb4). MariaDB's `uca1400_*` collations name none and fit several character sets;
 * the server pairs them with the database's (`databaseCharset`, known once connected).
 * Without a connection the statement could convert to the wrong one: refused, asking for
 * the full name (`utf8mb4_uca1400_ai_ci`), which is also how the server reports it.
 */
export function charsetOf(collation: string, table: string, databaseCharset?: string): string {
  const first = collation.toLowerCase().split("_")[0] ?? "";
  if (CHARSETS.has(first)) return first;
  if (databaseCharset) return plainName("character set", table, databaseCharset);
  throw new UserError(
    `table ${table}: collation ${collation} names no character set (MariaDB's uca1400_* collations fit several) and there is no connection to ask for the database's: write it with one, e.g. utf8mb4_${collation}`,
  );
}
