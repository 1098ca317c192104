/**
 * create users and posts
 *
 * Revision: 1a2b3c4d5e6f
 * Revises:  (base)
 * Created:  2026-11-24T10:00:00.000Z
 */
import type { Operations } from "autogen";

export const revision = "1a2b3c4d5e6f";
export const downRevision = null;
export const message = "create users and posts";
export const createdAt = "2026-11-24T10:00:00.000Z";

export function upgrade(op: Operations): void {
  op.createEnum("posts_status_enum", ["draft", "published", "archived"]);
  op.createTable("users", {
    columns: [
      { name: "id", type: "integer", nullable: false, generated: "increment" },
      { name: "email", type: "varchar", length: 255, nullable: false },
      { name: "display_name", type: "varchar", length: 100, nullable: true },
      {
        name: "created_at",
        type: "timestamp",
        nullable: false,
        default: "now()",
      },
    ],
    primaryKey: { name: "PK_a3ffb1c0c8416b9fc6f907b7433", columns: ["id"] },
    uniques: [{ name: "UQ_97672ac88f789774dd47f7c8be3", columns: ["email"] }],
  });
  op.createTable("posts", {
    columns: [
      { name: "id", type: "integer", nullable: false, generated: "increment" },
      { name: "title", type: "varchar", length: 200, nullable: false },
      { name: "body", type: "text", nullable: false, default: "''" },
      {
        name: "status",
        type: "enum",
        enumName: "posts_status_enum",
        enumValues: ["draft", "published", "archived"],
        nullable: false,
        default: "'draft'",
      },
      { name: "tags", type: "text", array: true, nullable: true },
      {
        name: "price",
        type: "numeric",
        precision: 10,
        scale: 2,
        nullable: true,
      },
      { name: "author_id", type: "integer", nullable: false },
    ],
    primaryKey: { name: "PK_2829ac61eff60fcec60d7274b9e", columns: ["id"] },
    foreignKeys: [
      {
        name: "FK_c5a322ad12a7bf95460c958e80e",
        columns: ["author_id"],
        referencedTable: "users",
        referencedColumns: ["id"],
        onDelete: "CASCADE",
        onUpdate: "NO ACTION",
      },
    ],
    uniques: [
      { name: "UQ_posts_author_title", columns: ["author_id", "title"] },
    ],
    indexes: [
      {
        name: "IDX_posts_status",
        columns: ["status"],
        unique: false,
        where: "status <> 'archived'",
      },
    ],
    checks: [{ name: "CHK_posts_price", expression: "price >= 0" }],
    comment: "Blog posts",
  });
  op.createIndex("IDX_posts_author_id", "posts", ["author_id"]);
}

export function downgrade(op: Operations): void {
  op.dropIndex("IDX_posts_author_id", "posts", ["author_id"]);
  op.dropTable("posts");
  op.dropTable("users");
  op.dropEnum("posts_status_enum", ["draft", "published", "archived"]);
}
