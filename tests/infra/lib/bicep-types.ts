// Reads the generated Bicep type data (Azure/bicep-types-az, microsoftgraph/msgraph-bicep-types)
// from the shared reference folder. The data is never copied into this repository.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const PropertyFlags = {
  Required: 1,
  ReadOnly: 2,
  WriteOnly: 4,
  DeployTimeConstant: 8,
  Identifier: 16,
} as const;

export interface TypeRef {
  $ref: string;
}

export interface PropertyType {
  type: TypeRef;
  flags: number;
}

export type TypeEntry =
  | {
      $type: 'ObjectType';
      name: string;
      properties?: Record<string, PropertyType>;
      additionalProperties?: TypeRef;
    }
  | {
      $type: 'DiscriminatedObjectType';
      name: string;
      discriminator: string;
      baseProperties: Record<string, PropertyType>;
      elements: Record<string, TypeRef>;
    }
  | { $type: 'ArrayType'; itemType: TypeRef }
  | { $type: 'UnionType'; elements: TypeRef[] }
  | { $type: 'StringLiteralType'; value: string }
  | { $type: 'StringType'; pattern?: string; minLength?: number; maxLength?: number }
  | { $type: 'IntegerType' | 'BooleanType' | 'AnyType' | 'NullType' }
  | { $type: 'ResourceType'; name: string; body: TypeRef }
  | { $type: 'ResourceFunctionType' };

/** One types.json file: entries refer to each other by index. */
export class TypeFile {
  constructor(
    readonly path: string,
    readonly entries: TypeEntry[],
  ) {}

  resolve(ref: TypeRef): TypeEntry {
    const match = /^#\/(\d+)$/.exec(ref.$ref);
    const entry = match ? this.entries[Number(match[1])] : undefined;
    if (!entry) throw new Error(`Type reference ${ref.$ref} does not resolve in ${this.path}`);
    return entry;
  }
}

export interface ResourceTypeInfo {
  file: TypeFile;
  body: TypeEntry;
}

export class BicepTypeIndex {
  private readonly resources = new Map<string, ResourceTypeInfo>();
  private readonly versions = new Map<string, string[]>();

  constructor(readonly directory: string) {
    for (const path of listJsonFiles(directory)) {
      const entries = JSON.parse(readFileSync(path, 'utf8')) as unknown;
      if (!Array.isArray(entries)) continue;
      const file = new TypeFile(path, entries as TypeEntry[]);
      for (const entry of file.entries) {
        if (entry.$type !== 'ResourceType') continue;
        const [type = '', version = ''] = entry.name.split('@');
        this.resources.set(entry.name.toLowerCase(), { file, body: file.resolve(entry.body) });
        const known = this.versions.get(type.toLowerCase()) ?? [];
        known.push(version);
        this.versions.set(type.toLowerCase(), known);
      }
    }
  }

  lookup(type: string, apiVersion: string): ResourceTypeInfo | undefined {
    return this.resources.get(`${type}@${apiVersion}`.toLowerCase());
  }

  /** API versions the data holds for a resource type (empty when the type is not described). */
  apiVersionsOf(type: string): string[] {
    return [...(this.versions.get(type.toLowerCase()) ?? [])].sort();
  }

  /** Whether the data describes any resource type of the type's provider namespace. */
  coversProvider(type: string): boolean {
    const namespace = `${type.split('/')[0] ?? ''}/`.toLowerCase();
    return [...this.versions.keys()].some((known) => known.startsWith(namespace));
  }
}

function listJsonFiles(directory: string): string[] {
  return readdirSync(directory)
    .flatMap((name) => {
      const path = join(directory, name);
      if (statSync(path).isDirectory()) return listJsonFiles(path);
      return name.endsWith('.types.json') ? [path] : [];
    })
    .sort();
}

export type TypeDataLocation = { directory: string } | { missing: string };

/**
 * `$BICEP_TYPES_DIR` when set, else `shared/bicep-types` beside the repository. When the folder is
 * not there, `missing` says where it was looked for, for a skip message.
 */
export function locateTypeData(repoRoot: string, env: NodeJS.ProcessEnv = process.env): TypeDataLocation {
  const fromEnv = env.BICEP_TYPES_DIR;
  const directory = fromEnv ? resolve(fromEnv) : resolve(repoRoot, '..', 'shared', 'bicep-types');
  if (existsSync(directory)) return { directory };
  const where = fromEnv
    ? `BICEP_TYPES_DIR=${fromEnv}`
    : `${directory} (set BICEP_TYPES_DIR to use another folder)`;
  return { missing: `Bicep type data not found, so resource bodies are not checked: looked in ${where}` };
}
