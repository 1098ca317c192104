/**
 * backfill post status
 *
 * Revision: aa00bb11cc22
 * Revises:  9e8d7c6b5a40
 * Created:  2026-11-24T10:00:00.000Z
 */
import type { Operations } from "autogen";

export const revision = "aa00bb11cc22";
export const downRevision = "9e8d7c6b5a40";
export const message = "backfill post status";
export const createdAt = "2026-11-24T10:00:00.000Z";

export function upgrade(op: Operations): void {
  op.execute(
    `UPDATE "posts"
SET "status" = 'published'
WHERE "body" <> '' AND "title" NOT LIKE '%\`draft\`%'`,
    { reverse: 'UPDATE "posts" SET "status" = \'draft\'' },
  );
  op.execute('ANALYZE "posts"', { reverse: "SELECT 1", dialect: "postgres" });
}

export function downgrade(op: Operations): void {
  op.execute("SELECT 1", { reverse: 'ANALYZE "posts"', dialect: "postgres" });
  op.execute('UPDATE "posts" SET "status" = \'draft\'', {
    reverse: `UPDATE "posts"
SET "status" = 'published'
WHERE "body" <> '' AND "title" NOT LIKE '%\`draft\`%'`,
  });
}
