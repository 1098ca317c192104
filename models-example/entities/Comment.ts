import { Column, CreateDateColumn, Entity, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import type { Relation } from "typeorm";
import { Post } from "./Post.js";
import { User } from "./User.js";

@Entity("comments")
export class Comment {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column("text")
  body!: string;

  // Comments go with their post.
  @ManyToOne(() => Post, (post) => post.comments, { nullable: false, onDelete: "CASCADE" })
  post!: Relation<Post>;

  // A deleted account leaves its comments behind, anonymous.
  @ManyToOne(() => User, (user) => user.comments, { nullable: true, onDelete: "SET NULL" })
  author!: Relation<User> | null;

  @CreateDateColumn()
  createdAt!: Date;
}
