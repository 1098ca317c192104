import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinTable,
  ManyToMany,
  ManyToOne,
  OneToMany,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from "typeorm";
import type { Relation } from "typeorm";
import { Category } from "./Category.js";
import { Comment } from "./Comment.js";
import { Tag } from "./Tag.js";
import { User } from "./User.js";

export type PostStatus = "draft" | "published" | "archived";

/** Free-form data the editor attaches to a post (reading time, cover image, …). */
export interface PostMetadata {
  [key: string]: unknown;
}

@Entity("posts")
@Index(["status", "createdAt"])
export class Post {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 200 })
  title!: string;

  @Column("text")
  body!: string;

  // "simple-enum" is a native enum type on PostgreSQL and a CHECK-constrained varchar on SQLite.
  @Column({ type: "simple-enum", enum: ["draft", "published", "archived"], default: "draft" })
  status!: PostStatus;

  // "simple-json" is JSON text on every driver, in TypeORM 0.3 and 1.x alike.
  @Column({ type: "simple-json", nullable: true })
  metadata!: PostMetadata | null;

  @Column({ type: "int", default: 0 })
  viewCount!: number;

  @ManyToOne(() => User, (user) => user.posts, { nullable: false })
  author!: Relation<User>;

  @ManyToOne(() => Category, (category) => category.posts, { nullable: true, onDelete: "SET NULL" })
  category!: Relation<Category> | null;

  @ManyToMany(() => Tag, (tag) => tag.posts)
  @JoinTable({ name: "post_tags" })
  tags!: Relation<Tag>[];

  @OneToMany(() => Comment, (comment) => comment.post)
  comments!: Relation<Comment>[];

  @CreateDateColumn()
  createdAt!: Date;

  @UpdateDateColumn()
  updatedAt!: Date;
}
