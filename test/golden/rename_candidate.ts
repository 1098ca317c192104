/**
 * posts: body becomes content
 *
 * Revision: 7a8b9c0d1e2f
 * Revises:  5d6e7f8a9b0c
 * Created:  2026-11-24T10:00:00.000Z
 *
 * autogen: table legacy has a CHECK constraint without a name; it is left alone because it cannot
 *   be dropped by name
 */
import type { Operations } from "autogen";

export const revision = "7a8b9c0d1e2f";
export const downRevision = "5d6e7f8a9b0c";
export const message = "posts: body becomes content";
export const createdAt = "2026-11-24T10:00:00.000Z";

export function upgrade(op: Operations): void {
  // autogen: possible rename posts.body -> posts.content (same type and nullability).
  //   Generated as drop + add, which loses the data.
  //   To confirm, run again with --rename posts.body=content
  // autogen: drops column posts.body and every value in it
  op.dropColumn("posts", "body");
  op.addColumn("posts", {
    name: "content",
    type: "text",
    nullable: false,
    default: "''",
  });
}

export function downgrade(op: Operations): void {
  op.dropColumn("posts", "content");
  op.addColumn("posts", {
    name: "body",
    type: "text",
    nullable: false,
    default: "''",
  });
}
