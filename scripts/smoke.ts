// `npm run smoke -- --orchestrator <url> --worker <url>`: checks a deployed system end to end.
import { parseSmokeArgs, usage, UsageError } from './smoke/args.js';
import { formatReport, runSmoke } from './smoke/checks.js';
import { defaultTokenSource } from './smoke/token.js';

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseSmokeArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${usage}`);
    return 2;
  }
  if (parsed.help) {
    console.log(usage);
    return 0;
  }

  const { options } = parsed;
  const report = await runSmoke(options, {
    tokens: defaultTokenSource(),
    progress: options.json ? undefined : (line) => console.log(line),
  });
  console.log(options.json ? JSON.stringify(report, null, 2) : formatReport(report));
  return report.failed === 0 ? 0 : 1;
}

process.exitCode = await main();
