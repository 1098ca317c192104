/**
 * Revision ids and file names: `<revision>_<slug>.ts`, the slug taken from the message
 * so a directory listing reads like a changelog.
 */
import { randomBytes } from "node:crypto";

const SLUG_MAX_LENGTH = 40;

/** A new random revision id: 12 lower-case hex characters. */
export function newRevisionId(): string {
  return randomBytes(6).toString("hex");
}

/** Lower-case ASCII letters and digits, every other run of characters one `_`, at most 40 characters. */
export function messageSlug(message: string): string {
  return message
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .slice(0, SLUG_MAX_LENGTH)
    .replace(/^_+|_+$/g, "");
}

export function revisionFileName(revision: string, message: string): string {
  const slug = messageSlug(message);
  return slug ? `${revision}_${slug}.ts` : `${revision}.ts`;
}
