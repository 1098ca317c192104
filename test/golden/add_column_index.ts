/**
 * add role to users
 *
 * Revision: 3f9c2a1b7d4e
 * Revises:  1a2b3c4d5e6f
 * Created:  2026-11-24T10:00:00.000Z
 */
import type { Operations } from "autogen";

export const revision = "3f9c2a1b7d4e";
export const downRevision = "1a2b3c4d5e6f";
export const message = "add role to users";
export const createdAt = "2026-11-24T10:00:00.000Z";

export function upgrade(op: Operations): void {
  op.addColumn("users", {
    name: "role",
    type: "varchar",
    length: 50,
    nullable: true,
    default: "'member'",
  });
  op.createIndex("IDX_users_role", "users", ["role"]);
}

export function downgrade(op: Operations): void {
  op.dropIndex("IDX_users_role", "users", ["role"]);
  op.dropColumn("users", "role");
}
