/**
 * The example app's DataSource, as the TypeORM CLI (`-d data-source.ts`) and autogen's
 * `dataSource` config option take it. SQLite by default; a postgres:// DATABASE_URL
 * switches it to PostgreSQL. autogen only reads its entities and naming options: it
 * never connects through it.
 */
import "reflect-metadata";
import path from "node:path";
import { DataSource } from "typeorm";
import { Category } from "./entities/Category.js";
import { Comment } from "./entities/Comment.js";
import { Post } from "./entities/Post.js";
import { Tag } from "./entities/Tag.js";
import { User } from "./entities/User.js";

const entities = [User, Post, Category, Tag, Comment];
const url = process.env.DATABASE_URL;

export const AppDataSource = url?.startsWith("postgres")
  ? new DataSource({ type: "postgres", url, entities })
  : new DataSource({
      type: "better-sqlite3",
      database: path.join(import.meta.dirname, "autogen.sqlite"),
      entities,
    });
