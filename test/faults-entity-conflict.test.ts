/**
 * Issue 15.11: two entities mapping one table with different definitions of a column.
 * Before, the first file read won (the result depended on file names), silently. Now:
 * one line naming the table, the column, how it differs, both entities and their files;
 * nothing written, nothing applied. Identical mappings (two entities over one abstract
 * base) and TypeORM's own duplicates (a junction table both sides declare) still work.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DialectName } from "../src/schema/ir.js";
import { availability, TEST_DIALECTS } from "./helpers/databases.js";
import { createSafetyProject, type SafetyProject } from "./helpers/safety.js";

const AVAILABLE = await availability();

const ARTICLE = `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
@Entity("posts")
export class Article {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: "varchar", length: 100 }) title!: string;
}
`;
const POST = `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
@Entity("posts")
export class Post {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: "varchar", length: 200, nullable: true }) title!: string | null;
}
`;
const SAME_AS_ARTICLE = ARTICLE.replace("class Article", "class Story");

const BASE = `import { Column, PrimaryGeneratedColumn } from "typeorm";
export abstract class Named {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: "varchar", length: 50 }) name!: string;
}
`;
const TAGS = `import { Entity, JoinTable, ManyToMany } from "typeorm";
import { Named } from "./base";
import { Label } from "./label";
@Entity("tags")
export class Tag extends Named {
  @ManyToMany(() => Label, (l) => l.tags) @JoinTable({ name: "tag_labels" }) labels!: Label[];
}
@Entity("tags")
export class TagAlias extends Named {}
`;
const LABEL = `import { Entity, ManyToMany } from "typeorm";
import { Named } from "./base";
import { Tag } from "./tags";
@Entity("labels")
export class Label extends Named {
  @ManyToMany(() => Tag, (t) => t.labels) tags!: Tag[];
}
`;

describe.each<DialectName>(TEST_DIALECTS)("two entities for one table on %s", (dialect) => {
  let project: SafetyProject;
  const skip = !AVAILABLE[dialect];
  beforeAll(async () => {
    if (skip) return;
    project = await createSafetyProject(dialect);
  });
  afterAll(async () => project?.remove());

  it.skipIf(skip)("that disagree on a column: one line naming both entities, their files and the column; nothing written", async () => {
    project.entity("a_article", ARTICLE);
    project.entity("b_post", POST);
    const r = await project.cli(["revision", "--autogenerate", "-m", "posts"]);
    expect(r.status).not.toBe(0);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`table posts is mapped by two entities that disagree on column "title"`);
    expect(lines[0]).toContain(`Article (${project.dir.file("models/a_article.ts")})`);
    expect(lines[0]).toContain(`Post (${project.dir.file("models/b_post.ts")})`);
    expect(lines[0]).toMatch(/length 100 vs 200/);
    expect(lines[0]).toMatch(/nullable false vs true/);
    expect(project.versionFiles()).toEqual([]);
  });

  it.skipIf(skip)("that agree (a second class, an abstract base, a junction both sides declare): written and applied", async () => {
    project.entity("b_post", SAME_AS_ARTICLE);
    project.entity("base", BASE);
    project.entity("tags", TAGS);
    project.entity("label", LABEL);
    const r = await project.cli(["revision", "--autogenerate", "-m", "posts"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(project.versionFiles()).toHaveLength(1);
    expect((await project.cli(["upgrade", "head"])).status).toBe(0);
    const check = await project.cli(["check"]);
    expect(check.stdout + check.stderr).not.toMatch(/error/);
    expect(check.status).toBe(0);
    expect((await project.query("SELECT version_num FROM autogen_version")).length).toBe(1);
  });
});
