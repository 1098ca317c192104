/**
 * widen posts.title
 *
 * Revision: 5d6e7f8a9b0c
 * Revises:  3f9c2a1b7d4e
 * Created:  2026-11-24T10:00:00.000Z
 */
import type { Operations } from "autogen";

export const revision = "5d6e7f8a9b0c";
export const downRevision = "3f9c2a1b7d4e";
export const message = "widen posts.title";
export const createdAt = "2026-11-24T10:00:00.000Z";

export function upgrade(op: Operations): void {
  op.alterColumn("posts", "title", {
    type: {
      from: { type: "varchar", length: 100 },
      to: { type: "varchar", length: 150 },
    },
  });
}

export function downgrade(op: Operations): void {
  op.alterColumn("posts", "title", {
    type: {
      from: { type: "varchar", length: 150 },
      to: { type: "varchar", length: 100 },
    },
  });
}
