// Tests that run an app from its dist/ folder check first that the build is not older than the source.
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

function newest(dir: string): number {
  return Math.max(
    ...readdirSync(dir, { recursive: true, encoding: 'utf8' }).map(
      (file) => statSync(join(dir, file)).mtimeMs,
    ),
  );
}

/** Fails when `appDir`/dist is older than `appDir`/src, naming the build command that fixes it. */
export function assertBuildIsCurrent(appDir: string): void {
  const app = basename(appDir);
  assert.ok(
    newest(join(appDir, 'dist')) >= newest(join(appDir, 'src')),
    `${app}/dist is older than its sources: run \`npm run build -w ${app}\` first`,
  );
}
