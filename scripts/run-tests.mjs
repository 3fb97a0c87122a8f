// Runs every test file under tests/ with Node's own test runner on TypeScript sources (through tsx).
// `TEST_FILTER=substring` narrows the files; `TEST_CONCURRENCY` sets how many files run at once.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const filter = process.env.TEST_FILTER ?? '';

/** @param {string} dir @returns {string[]} */
function collect(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'fixtures') return [];
    if (statSync(path).isDirectory()) return collect(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

const files = collect(join(root, 'tests'))
  .map((file) => relative(root, file))
  .filter((file) => file.includes(filter))
  .sort();
if (files.length === 0) {
  console.error(`No test files match TEST_FILTER=${JSON.stringify(filter)}.`);
  process.exit(1);
}

const args = [
  '--import',
  'tsx',
  '--test',
  `--test-concurrency=${process.env.TEST_CONCURRENCY ?? '2'}`,
  '--test-timeout=300000',
  ...files,
];
const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
