// One app host the supervisor owns across process lifetimes: it can be crashed on purpose (kill -9)
// and started again on the same port and data folder, as a platform restarts a failed worker.
import type { Logger } from '../log.js';
import { startHostProcess, type HostProcess, type HostProcessOptions } from './host-process.js';

export interface ManagedHost {
  readonly name: string;
  /** Origin of the app host (behind its Easy Auth proxy); the same across restarts. */
  readonly url: string;
  /** Process id of the current host process; -1 while none runs. */
  readonly pid: number;
  /** True while a host process runs. */
  readonly running: boolean;
  /** Ends the host process with SIGKILL, as a crash would, and resolves once it is gone. */
  kill(): Promise<void>;
  /** Stops the host process gracefully (SIGTERM, SIGKILL after the grace period). */
  stop(): Promise<void>;
  /**
   * Starts a new host process on the same port and data folder, stopping the current one first if
   * it still runs. `env` changes settings for this and later starts (e.g. to switch a test job on).
   */
  restart(options?: { env?: Record<string, string> }): Promise<void>;
}

/** Starts an app host process and returns the handle that can kill and restart it. */
export async function startManagedHost(options: HostProcessOptions, logger: Logger): Promise<ManagedHost> {
  let current: HostProcess | undefined;
  let env = { ...options.env };
  let intended = false;
  let port = options.port;

  const launch = async (): Promise<HostProcess> => {
    const host = await startHostProcess({ ...options, port, env });
    intended = false;
    void host.exited.then((code) => {
      if (current === host) current = undefined;
      const crash = code !== 0 && !intended;
      logger[crash ? 'error' : 'info']('host.exited', { app: options.name, code, pid: host.pid });
    });
    return host;
  };
  const end = async (how: 'kill' | 'stop'): Promise<void> => {
    const host = current;
    if (!host) return;
    intended = true;
    if (how === 'stop') return host.stop();
    host.process.kill('SIGKILL');
    await host.exited;
  };

  current = await launch();
  const url = current.url;
  // A first start on port 0 picked a free port; later starts keep it so the proxy still reaches them.
  port = Number(new URL(url).port);
  return {
    name: options.name,
    url,
    get pid() {
      return current?.pid ?? -1;
    },
    get running() {
      return current !== undefined;
    },
    kill: () => end('kill'),
    stop: () => end('stop'),
    async restart(change = {}) {
      await end('stop');
      if (change.env) env = { ...env, ...change.env };
      current = await launch();
      logger.info('host.restarted', { app: options.name, pid: current.pid });
    },
  };
}
