// Child process of the crash-recovery test: serves the durable-crash fixture app on a data folder and
// prints one ready line. The test kills it with SIGKILL and starts it again on the same folder.
import { join } from 'node:path';

import { startFunctionHost } from '../../../devhost/src/functions-host/index.js';
import { FIXTURES, quietLogger } from './helpers.js';

const [dataDir, effectsDb] = process.argv.slice(2);
if (!dataDir || !effectsDb) throw new Error('usage: crash-host.ts <dataDir> <effectsDb>');

const host = await startFunctionHost({
  appDir: join(FIXTURES, 'durable-crash'),
  port: 0,
  dataDir,
  logger: quietLogger,
  timers: false,
  env: { FIXTURE_EFFECTS_DB: effectsDb },
});
process.stdout.write(`${JSON.stringify({ url: host.url, systemKey: host.keys.system })}\n`);
process.on('SIGTERM', () => {
  void host.close().then(() => process.exit(0));
});
