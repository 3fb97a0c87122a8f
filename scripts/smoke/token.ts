// A user token for the run API from the Azure CLI, or from $SMOKE_TOKEN.
import { spawn } from 'node:child_process';

/** No token could be had; the message says how to get one. */
export class TokenError extends Error {
  override name = 'TokenError';
}

export interface TokenSource {
  /** Resolves the bearer token for `resource`; never logged. */
  getToken(resource: string): Promise<string>;
}

function run(
  command: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Shells out to `az account get-access-token --resource <uri>`. */
export function azureCliTokenSource(command = 'az'): TokenSource {
  return {
    async getToken(resource) {
      const args = [
        'account',
        'get-access-token',
        '--resource',
        resource,
        '--query',
        'accessToken',
        '--output',
        'tsv',
      ];
      let result;
      try {
        result = await run(command, args);
      } catch (error) {
        const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
        const detail = missing
          ? `the Azure CLI (${command}) is not installed or not on PATH: install it and run \`az login\`, or set SMOKE_TOKEN`
          : `could not start ${command}: ${(error as Error).message}`;
        throw new TokenError(detail, { cause: error });
      }
      const token = result.stdout.trim();
      if (result.code !== 0 || !token) {
        const reason = result.stderr.trim().split(/\r?\n/)[0] || `exit code ${String(result.code)}`;
        throw new TokenError(`az account get-access-token --resource ${resource} failed: ${reason}`);
      }
      return token;
    },
  };
}

/** $SMOKE_TOKEN when set, else the Azure CLI. */
export function defaultTokenSource(env: NodeJS.ProcessEnv = process.env): TokenSource {
  const token = env.SMOKE_TOKEN;
  if (token) return { getToken: () => Promise.resolve(token) };
  return azureCliTokenSource();
}
