/**
 * Where in the user's entity files a table or column comes from, for annotations that
 * point a reviewer at the line behind a drift (`--format github`).
 *
 * TypeORM's metadata says which class (`target`) declares a table and which property
 * a column belongs to; the require cache says which file exported that class; the file's
 * syntax tree gives the line of the class's or property's first decorator.
 */
import { readFileSync } from "node:fs";
import { ts } from "ts-morph";
import type { ResolvedConfig } from "../config/config.js";
import { getDialect } from "../dialects/index.js";
import { resolveModelSource } from "../models/index.js";
import { buildEntityMetadata } from "../models/metadata.js";
import { entityFileOf } from "../models/entity-file.js";

export interface SourceLocation {
  /** Absolute path of the entity file. */
  file: string;
  /** 1-based line of the decorator (or declaration). */
  line: number;
}

/** Answers "where is table T (column C) declared?"; undefined when the models do not say. */
export interface ModelLocations {
  locate(table: string, column?: string): SourceLocation | undefined;
}

interface ColumnMeta {
  databaseName: string;
  propertyName: string;
  /** The class that declares the property (a parent class, an embedded class). */
  target?: unknown;
  /** Relation join columns: the relation's property (`author` for `authorId`). */
  relationMetadata?: { propertyName: string; target?: unknown };
}

interface EntityMeta {
  tableName: string;
  target: unknown;
  columns: ColumnMeta[];
}

const fileOf = entityFileOf;

type Declarations = Map<string, { line: number; members: Map<string, number> }>;

const parsed = new Map<string, Declarations>();

/** Class and property declarations of a file, by name, with the line of their first decorator. */
function declarationsOf(file: string): Declarations {
  let found = parsed.get(file);
  if (found) return found;
  found = new Map();
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    parsed.set(file, found);
    return found;
  }
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  // getStart() includes decorators, which come first: the line a reviewer looks for.
  const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const visit = (node: ts.Node) => {
    if ((ts.isClassDeclaration(node) || ts.isClassExpression(node)) && node.name) {
      const members = new Map<string, number>();
      for (const member of node.members) {
        if (member.name && (ts.isIdentifier(member.name) || ts.isStringLiteral(member.name))) {
          members.set(member.name.text, lineOf(member));
        }
      }
      found!.set(node.name.text, { line: lineOf(node), members });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  parsed.set(file, found);
  return found;
}

function locateMember(target: unknown, property: string | undefined): SourceLocation | undefined {
  const file = fileOf(target);
  if (!file || typeof target !== "function") return undefined;
  const declared = declarationsOf(file).get((target as { name: string }).name);
  if (!declared) return { file, line: 1 };
  const line = property !== undefined ? declared.members.get(property) : undefined;
  return { file, line: line ?? declared.line };
}

/** Reads the models' metadata (no database) and answers location questions from it. */
export async function modelLocations(config: ResolvedConfig): Promise<ModelLocations> {
  const source = await resolveModelSource({
    baseDir: config.baseDir,
    ...(config.tsconfig ? { tsconfig: config.tsconfig } : {}),
    ...(config.cacheDir ? { cacheDir: config.cacheDir } : {}),
    ...(config.dataSource ? { dataSource: config.dataSource } : { entities: config.entities }),
  });
  const { metadatas } = await buildEntityMetadata(source, getDialect(config.dialect));
  const byTable = new Map<string, EntityMeta>();
  for (const m of metadatas as unknown as EntityMeta[]) if (!byTable.has(m.tableName)) byTable.set(m.tableName, m);
  return {
    locate(table, column) {
      const entity = byTable.get(table);
      if (!entity) return undefined;
      const col = column === undefined ? undefined : entity.columns.find((c) => c.databaseName === column);
      if (col?.relationMetadata) return locateMember(col.relationMetadata.target ?? entity.target, col.relationMetadata.propertyName);
      if (col) return locateMember(col.target ?? entity.target, col.propertyName);
      return locateMember(entity.target, undefined);
    },
  };
}
