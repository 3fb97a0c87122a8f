// Finds and parses the project's Bicep files once per test process.
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseBicepFile } from './bicep-parser.js';
import { BicepTemplate } from './bicep-template.js';

export const repoRoot = resolve(import.meta.dirname, '..', '..', '..');
export const bicepRoot = join(repoRoot, 'infra', 'bicep');

export function listFiles(directory: string, extensions: string[]): string[] {
  return readdirSync(directory)
    .flatMap((name) => {
      const path = join(directory, name);
      if (statSync(path).isDirectory()) return listFiles(path, extensions);
      return extensions.some((extension) => name.endsWith(extension)) ? [path] : [];
    })
    .sort();
}

/** A path relative to the repository, as messages show it. */
export function display(path: string): string {
  return relative(repoRoot, path);
}

export async function loadTemplate(path: string): Promise<BicepTemplate> {
  return new BicepTemplate(await parseBicepFile(path, display(path)), path);
}

let all: Promise<BicepTemplate[]> | undefined;

/** Every `.bicep` file under infra/. */
export function loadInfraTemplates(): Promise<BicepTemplate[]> {
  all ??= Promise.all(listFiles(join(repoRoot, 'infra'), ['.bicep']).map(loadTemplate));
  return all;
}

export async function loadInfraTemplate(relativePath: string): Promise<BicepTemplate> {
  const wanted = join(bicepRoot, relativePath);
  const template = (await loadInfraTemplates()).find((candidate) => candidate.path === wanted);
  if (!template) throw new Error(`No Bicep file ${display(wanted)}`);
  return template;
}
