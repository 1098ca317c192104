/**
 * purge expired sessions
 *
 * Revision: dd33ee44ff55
 * Revises:  aa00bb11cc22
 * Created:  2026-11-24T10:00:00.000Z
 *
 * IRREVERSIBLE: downgrade() throws; this revision cannot be undone automatically.
 */
import type { Operations } from "autogen";

export const revision = "dd33ee44ff55";
export const downRevision = "aa00bb11cc22";
export const message = "purge expired sessions";
export const createdAt = "2026-11-24T10:00:00.000Z";

export function upgrade(op: Operations): void {
  // autogen: raw SQL without a reverse: deleted rows cannot be restored
  op.execute('DELETE FROM "sessions" WHERE "expires_at" < now()');
}

export function downgrade(op: Operations): void {
  // autogen: IRREVERSIBLE: this revision cannot be downgraded automatically.
  //   Reason: op.execute("DELETE FROM \"sessions\" …") has no reverse SQL
  //   Write the reverse op.* calls here by hand if it must be undone; until then downgrade fails on
  //   purpose.
  throw new Error(
    'autogen: irreversible: op.execute("DELETE FROM \\"sessions\\" …") has no reverse SQL',
  );
}
