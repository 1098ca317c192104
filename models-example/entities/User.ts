import { Column, CreateDateColumn, Entity, OneToMany, PrimaryGeneratedColumn } from "typeorm";
import type { Relation } from "typeorm";
import { Comment } from "./Comment.js";
import { Post } from "./Post.js";

@Entity("users")
export class User {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 255, unique: true })
  email!: string;

  @Column({ length: 100 })
  displayName!: string;

  @Column({ type: "text", nullable: true })
  bio!: string | null;

  @CreateDateColumn()
  createdAt!: Date;

  @OneToMany(() => Post, (post) => post.author)
  posts!: Relation<Post>[];

  @OneToMany(() => Comment, (comment) => comment.author)
  comments!: Relation<Comment>[];
}
