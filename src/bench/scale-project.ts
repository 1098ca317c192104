/**
 * The scale bench's project: N generated TypeORM entity files (.ts, as a user writes
 * them), a config pointing at them and a database URL. Every entity has 10 columns, a
 * many-to-one to the previous entity (by name, so no file imports 5,000 others), a
 * unique constraint and an index — the shape of a real schema's average table.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ConfigFile } from "../config/config.js";

export const entityName = (i: number): string => `E${String(i).padStart(4, "0")}`;
export const scaleTableName = (i: number): string => `scale_${String(i).padStart(4, "0")}`;

function entitySource(i: number): string {
  const name = entityName(i);
  const table = scaleTableName(i);
  const parent = entityName(i === 0 ? 0 : i - 1);
  return `import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from "typeorm";

@Entity("${table}")
@Unique("UQ_${table}_code", ["code"])
@Index("IDX_${table}_title", ["title"])
export class ${name} {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: "varchar", length: 40 })
  code!: string;

  @Column({ type: "varchar", length: 200 })
  title!: string;

  @Column({ type: "text", nullable: true })
  body!: string | null;

  @Column({ type: "integer", default: 0 })
  quantity!: number;

  @Column({ type: "decimal", precision: 10, scale: 2, default: 0 })
  amount!: string;

  @Column({ type: "boolean", default: true })
  active!: boolean;

  @Column({ type: "varchar", length: 20, nullable: true })
  status!: string | null;

  @CreateDateColumn()
  createdAt!: Date;

  @ManyToOne("${parent}", { nullable: true, onDelete: "CASCADE" })
  @JoinColumn({ name: "parent_id", foreignKeyConstraintName: "FK_${table}_parent" })
  parent!: unknown;
}
`;
}

export interface ScaleProject {
  dir: string;
  config: string;
  entitiesDir: string;
}

/** Writes the project into `dir` (which must exist and be empty). */
export function writeScaleProject(dir: string, count: number, url: string): ScaleProject {
  const entitiesDir = path.join(dir, "entities");
  mkdirSync(entitiesDir, { recursive: true });
  for (let i = 0; i < count; i++) writeFileSync(path.join(entitiesDir, `${entityName(i)}.ts`), entitySource(i));
  writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify(
      {
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          experimentalDecorators: true,
          emitDecoratorMetadata: true,
          strict: true,
          skipLibCheck: true,
        },
      },
      null,
      2,
    ),
  );
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
  const config = path.join(dir, "autogen.config.json");
  const file: ConfigFile = { url, entities: ["entities/*.ts"], versionsDir: "versions", tsconfig: "tsconfig.json" };
  writeFileSync(config, JSON.stringify(file, null, 2));
  return { dir, config, entitiesDir };
}
