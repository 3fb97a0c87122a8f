// Copies the shared root host.json into an app folder so each app deploys as a normal Functions app.
import { copyFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const app = process.argv[2];
if (!app) {
  throw new TypeError('Expected the app folder name, for example `orchestrator-app`.');
}
copyFileSync(join(root, 'host.json'), join(root, app, 'host.json'));
