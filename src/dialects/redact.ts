/**
 * The one URL redaction: what of a database URL may be shown to a user. It works on the
 * text, not on a parsed URL, because the URLs that most need it are the ones a parser
 * rejects (a password with an unencoded `/`, `@` or `#`, a URL without `//`), and those
 * end up in "malformed URL" errors. Every dialect's URLs have the same shape
 * (`scheme:[//][user[:password]@]host…[?key=value…]`), so one function serves them all.
 */

const MASK = "***";

/** Query parameters whose value is a secret (libpq's `password`, `sslpassword`, and the like). */
const SECRET_PARAM = /^(?:.*pass(?:word|wd|phrase)?|pwd|secret|token|.*key)$/i;

/** A URL with its password and secret query parameters replaced by `***`. */
export function redactUrl(url: string): string {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:(?:\/\/)?/.exec(url);
  if (!scheme) return redactParams(url);
  const head = scheme[0];
  let rest = url.slice(head.length);
  // The user info ends at the last `@`: an unencoded `@`, `/` or `?` inside a password
  // would otherwise end it early and leave the rest of the password visible.
  const at = rest.lastIndexOf("@");
  if (at >= 0) {
    const userInfo = rest.slice(0, at);
    const colon = userInfo.indexOf(":");
    // A user name alone is no secret (and an SQLite path may hold an `@`).
    if (colon >= 0) rest = `${userInfo.slice(0, colon)}:${MASK}${rest.slice(at)}`;
  }
  return head + redactParams(rest);
}

function redactParams(text: string): string {
  return text.replace(/([?&;])([^=&;?#]+)=([^&;#]*)/g, (whole, sep: string, key: string) =>
    SECRET_PARAM.test(decodeSafely(key)) ? `${sep}${key}=${MASK}` : whole,
  );
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Every URL inside a message redacted: the last filter before an error reaches the
 * terminal, for text a driver or a library built from a URL it was given.
 */
export function redactUrlsIn(text: string): string {
  return text.replace(/\b(?:postgres(?:ql)?|mysql|mariadb|sqlite|file|https?):[^\s"'`<>]+/gi, (url) => redactUrl(url));
}
