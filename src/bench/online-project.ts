/**
 * The online-revision workload (bench section 11 and test/online-*.test.ts): `accounts`
 * and `events` as TypeORM entities, the "before" models and an "after" with any of the
 * five changes the issue names — a composite index, a foreign key to accounts, `kind`
 * NOT NULL, a boolean column with a default, `score` int -> bigint — plus the rows and the
 * writer's statement.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

export const CHANGE_KINDS = ["index", "foreignKey", "notNull", "booleanDefault", "bigint"] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export const CHANGE_LABELS: Record<ChangeKind, string> = {
  index: 'composite index ("accountId", "createdAt")',
  foreignKey: "foreign key events.accountId -> accounts",
  notNull: "kind SET NOT NULL",
  booleanDefault: "boolean column with a default",
  bigint: "score int -> bigint",
};

export function entitiesSource(changes: ReadonlySet<ChangeKind>): string {
  const on = (kind: ChangeKind, text: string) => (changes.has(kind) ? text : "");
  return `import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";

@Entity("accounts")
export class Account {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: "varchar", length: 100 })
  name!: string;
}

@Entity("events")
${on("index", '@Index("IDX_events_account_created", ["accountId", "createdAt"])')}
export class Event {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: "integer" })
  accountId!: number;
${on("foreignKey", '\n  @ManyToOne(() => Account)\n  @JoinColumn({ name: "accountId", foreignKeyConstraintName: "FK_events_account" })\n  account!: Account;\n')}
  @Column({ type: "timestamp", default: () => "now()" })
  createdAt!: Date;

  @Column({ type: "varchar", length: 20, nullable: ${changes.has("notNull") ? "false" : "true"} })
  kind!: string | null;

  @Column({ type: "${changes.has("bigint") ? "bigint" : "integer"}", default: 0 })
  score!: number;

  @Column({ type: "text", nullable: true })
  payload!: string | null;
${on("booleanDefault", '\n  @Column({ type: "boolean", default: false })\n  flagged!: boolean;\n')}}
`;
}

export interface OnlineProject {
  dir: string;
  config: string;
  /** Rewrites the entities with `changes` applied. */
  models(changes: ReadonlySet<ChangeKind>): void;
}

/** A project directory with a config for `url` and the "before" entities. */
export function writeOnlineProject(dir: string, url: string, settings: Record<string, unknown> = {}): OnlineProject {
  mkdirSync(path.join(dir, "entities"), { recursive: true });
  const config = path.join(dir, "autogen.config.json");
  writeFileSync(config, JSON.stringify({ url, entities: ["entities/*.ts"], versionsDir: "versions", ...settings }, null, 2));
  writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: { target: "ES2022", module: "commonjs", experimentalDecorators: true, emitDecoratorMetadata: true, strict: true },
    }),
  );
  const models = (changes: ReadonlySet<ChangeKind>) => writeFileSync(path.join(dir, "entities", "models.ts"), entitiesSource(changes));
  models(new Set());
  return { dir, config, models };
}

/** Rows for the "before" schema: `accounts` accounts, `events` events (no NULL kind, so NOT NULL holds). */
export function fillStatements(accounts: number, events: number): string[] {
  return [
    `INSERT INTO accounts (name) SELECT 'account ' || g FROM generate_series(1, ${accounts}) g`,
    `INSERT INTO events ("accountId", "createdAt", kind, score, payload)
       SELECT 1 + (g % ${accounts}), now() - (g || ' seconds')::interval, (ARRAY['click','view','buy'])[1 + g % 3], g % 1000, 'seed'
       FROM generate_series(1, ${events}) g`,
    "ANALYZE accounts",
    "ANALYZE events",
  ];
}

/** One writer transaction: an insert (counted: payload 'writer') and an update of a random row; valid before and after every change. */
export function writerStatements(accounts: number, events: number): { setup: string; sql: string[] } {
  return {
    setup: `\\set aid random(1, ${accounts})\n\\set eid random(1, ${events})`,
    sql: [
      `INSERT INTO events ("accountId", kind, score, payload) VALUES (:aid, 'write', 1, 'writer')`,
      `UPDATE events SET score = score + 1 WHERE id = :eid`,
    ],
  };
}
