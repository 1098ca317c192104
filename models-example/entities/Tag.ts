import { Column, Entity, ManyToMany, PrimaryGeneratedColumn } from "typeorm";
import type { Relation } from "typeorm";
import { Post } from "./Post.js";

@Entity("tags")
export class Tag {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 50 })
  name!: string;

  @ManyToMany(() => Post, (post) => post.tags)
  posts!: Relation<Post>[];
}
