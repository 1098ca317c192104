/**
 * TypeORM writes a string default as `'${value}'` without doubling the quotes inside
 * (`driver.normalizeDefault`), so `default: "Don't know"` breaks the DDL and
 * `default: "a'); DROP TABLE victim; --"` runs a second statement. Every default TypeORM
 * meant as a value is re-quoted here with the dialect's own literal quoting, before
 * `Table.create` reads it; a default given as a function (`() => "now()"`) is an
 * expression and passes through untouched.
 */

interface DefaultColumn {
  default?: unknown;
}

interface NormalizingDriver {
  normalizeDefault(column: DefaultColumn): string | undefined;
}

const PATCHED = Symbol.for("autogen.quotedDefaults");

/** What TypeORM produced by wrapping `raw` in quotes without escaping, if that is what `written` is. */
function unescapedValue(raw: unknown, written: string): string | undefined {
  if (written.length < 2 || !written.startsWith("'") || !written.endsWith("'")) return undefined;
  const body = written.slice(1, -1);
  if (typeof raw === "string" || typeof raw === "number") return body === String(raw) ? body : undefined;
  if (Array.isArray(raw)) {
    const elements = raw.map((v) => String(v));
    // PostgreSQL arrays as `'{a,b}'`, SQLite simple-enum lists as `'a,b'`.
    if (body === `{${elements.join(",")}}` || body === elements.join(",")) return body;
  }
  return undefined;
}

/** Wraps `driver.normalizeDefault` (once) so value defaults come out as properly quoted literals. */
export function quoteValueDefaults(driver: unknown, quoteLiteral: (value: string) => string): void {
  const d = driver as NormalizingDriver & { [PATCHED]?: boolean };
  if (typeof d.normalizeDefault !== "function" || d[PATCHED]) return;
  const original = d.normalizeDefault.bind(d);
  d.normalizeDefault = (column: DefaultColumn) => {
    const written = original(column);
    if (typeof written !== "string" || typeof column.default === "function") return written;
    const value = unescapedValue(column.default, written);
    return value === undefined ? written : quoteLiteral(value);
  };
  d[PATCHED] = true;
}
