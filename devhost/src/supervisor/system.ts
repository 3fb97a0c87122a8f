// `devhost start` as a function: Azurite, identity, both app hosts, their Easy Auth proxies, dashboard.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { startAzurite, type RunningAzurite } from '../azurite.js';
import { startDashboard, type Dashboard } from '../dashboard/index.js';
import {
  buildLocalPolicy,
  startEasyAuthProxy,
  type EasyAuthProxy,
  type ProtectedApp,
} from '../easyauth/index.js';
import { loadOrCreateKeys, type HostKeys } from '../functions-host/keys.js';
import {
  loadRegistrations,
  startIdentityServer,
  type IdentityServer,
  type LocalRegistrations,
} from '../identity/index.js';
import type { Logger, LogRecord } from '../log.js';
import { getOperatorToken } from '../operator/index.js';
import { azuriteAccountKey, dataFolder, lockDataFolder } from './data-folder.js';
import { startManagedHost, type ManagedHost } from './managed-host.js';
import { DEFAULT_PORTS, resolvePorts, type SystemPorts } from './ports.js';
import { createRecordWriter } from './render.js';
import { appSettings } from './settings.js';

export interface SystemOptions {
  /** Data folder; default `.devhost` in the current directory. */
  dataDir?: string;
  /** Ports to use; 0 picks a free one. The defaults are those of docs/contracts.md (DEFAULT_PORTS). */
  ports?: Partial<SystemPorts>;
  /** The supervisor's own events. */
  logger: Logger;
  /** Every record the app hosts write; default: one readable line each on stdout. */
  onHostRecord?: (record: LogRecord) => void;
  /** Extra settings per app, winning over what the supervisor sets. */
  appEnv?: { orchestrator?: Record<string, string>; worker?: Record<string, string> };
  /** Folder with orchestrator-app/ and worker-app/; default the repository root. */
  rootDir?: string;
  /** Lifetime of local tokens (default 24 h). */
  tokenLifetimeSeconds?: number;
  /** Level the app hosts log at; default `info`. */
  hostLogLevel?: string;
  /** Start the dashboard (default true). */
  dashboard?: boolean;
}

export interface SystemUrls {
  orchestrator: string;
  worker: string;
  identity: string;
  dashboard: string;
  orchestratorHost: string;
  workerHost: string;
  /** `http://127.0.0.1:<orchestratorHost>/runtime/webhooks/durabletask` (system key required). */
  management: string;
  blob: string;
  queue: string;
  table: string;
}

export interface RunningSystem {
  urls: SystemUrls;
  ports: SystemPorts;
  registrations: LocalRegistrations;
  // TODO(devhost): the identity server always starts now, so this is never undefined; the type
  // stays optional while tests/reliability/outages.test.ts asserts it non-null (`!`), which the lint
  // rejects on a non-optional type.
  identity: IdentityServer | undefined;
  /** Host keys per app, for tests and the dashboard; never print them. */
  keys: { orchestrator: HostKeys; worker: HostKeys };
  /** Azurite connection string (local emulator, key generated per data folder). */
  storageConnectionString: string;
  dataDir: string;
  /** The app host processes, to crash and restart them on the same data (reliability tests). */
  hosts: { orchestrator: ManagedHost; worker: ManagedHost };
  /** The Easy Auth proxies in front of the apps. */
  proxies: { orchestrator: EasyAuthProxy; worker: EasyAuthProxy };
  stop(): Promise<void>;
}

/** The repository root, from devhost/src/supervisor or devhost/dist/supervisor. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function appDirOf(rootDir: string, app: 'orchestrator' | 'worker'): string {
  const dir = join(rootDir, `${app}-app`);
  if (!existsSync(join(dir, 'dist'))) {
    throw new Error(`${dir} has no dist/ folder; build the apps first with \`npm run build\`.`);
  }
  return dir;
}

/**
 * Starts the whole local system and resolves once every part serves. When a part fails to start,
 * the parts already started are stopped and its error rejects the call.
 */
export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const logger = options.logger;
  const rootDir = options.rootDir ?? REPO_ROOT;
  const folder = dataFolder(options.dataDir ?? '.devhost');
  const ports = await resolvePorts({ ...DEFAULT_PORTS, ...options.ports });
  const origin = (port: number): string => `http://127.0.0.1:${port}`;
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.splice(0).reverse()) {
      await stop().catch((err: unknown) => logger.warn('system.stop_failed', { error: err }));
    }
  };

  const unlock = lockDataFolder(folder);
  stops.push(() => Promise.resolve(unlock()));
  try {
    const orchestratorDir = appDirOf(rootDir, 'orchestrator');
    const workerDir = appDirOf(rootDir, 'worker');
    const registrations = loadRegistrations();

    const azurite: RunningAzurite = await startAzurite({
      location: folder.azurite,
      accountKey: azuriteAccountKey(folder),
    });
    stops.push(() => azurite.stop());
    logger.info('azurite.started', { blob: azurite.blobEndpoint, table: azurite.tableEndpoint });

    const identity = await startIdentityServer({
      port: ports.identity,
      dataDir: folder.root,
      registrations,
      logger,
      ...(options.tokenLifetimeSeconds ? { tokenLifetimeSeconds: options.tokenLifetimeSeconds } : {}),
    });
    stops.push(() => identity.close());
    const identityUrl = identity.url;

    const settings = appSettings({ registrations, ports, storage: azurite.connectionString, identity });
    const onRecord = options.onHostRecord ?? createRecordWriter({ json: false });
    const startHost = async (
      app: 'orchestrator' | 'worker',
      appDir: string,
      port: number,
      publicPort: number,
    ) => {
      const host: ManagedHost = await startManagedHost(
        {
          name: app,
          appDir,
          port,
          dataDir: app === 'orchestrator' ? folder.orchestrator : folder.worker,
          publicOrigin: origin(publicPort),
          env: { ...settings[app], ...options.appEnv?.[app] },
          ...(options.hostLogLevel ? { logLevel: options.hostLogLevel } : {}),
          onRecord,
        },
        logger,
      );
      stops.push(() => host.stop());
      return host;
    };
    const [worker, orchestrator] = await Promise.all([
      startHost('worker', workerDir, ports.workerHost, ports.worker),
      startHost('orchestrator', orchestratorDir, ports.orchestratorHost, ports.orchestrator),
    ]);
    const keys = {
      orchestrator: loadOrCreateKeys(folder.orchestrator),
      worker: loadOrCreateKeys(folder.worker),
    };

    const proxy = async (app: ProtectedApp, port: number, target: string): Promise<EasyAuthProxy> => {
      const policy = buildLocalPolicy(app, registrations, identityUrl);
      const started = await startEasyAuthProxy({
        port,
        target,
        policy,
        logger: logger.child({ component: `easyauth-${app}` }),
      });
      stops.push(() => started.close());
      return started;
    };
    const [workerProxy, orchestratorProxy] = await Promise.all([
      proxy('worker', ports.worker, worker.url),
      proxy('orchestrator', ports.orchestrator, orchestrator.url),
    ]);

    const management = `${orchestrator.url}/runtime/webhooks/durabletask`;
    const scope = `${registrations.orchestratorApi.identifierUri}/.default`;
    const dashboard: Dashboard | undefined =
      options.dashboard === false
        ? undefined
        : await startDashboard({
            port: ports.dashboard,
            managementBaseUrl: management,
            systemKey: keys.orchestrator.system,
            runApi: {
              baseUrl: origin(ports.orchestrator),
              getToken: () => getOperatorToken({ issuerUrl: identityUrl, scope, dataDir: folder.root }),
            },
            logger,
          });
    if (dashboard) stops.push(() => dashboard.close());

    logger.info('system.ready', { dataDir: folder.root });
    return {
      urls: {
        orchestrator: origin(ports.orchestrator),
        worker: origin(ports.worker),
        identity: identityUrl,
        dashboard: dashboard?.url ?? origin(ports.dashboard),
        orchestratorHost: orchestrator.url,
        workerHost: worker.url,
        management,
        blob: azurite.blobEndpoint,
        queue: azurite.queueEndpoint,
        table: azurite.tableEndpoint,
      },
      ports,
      registrations,
      identity,
      keys,
      storageConnectionString: azurite.connectionString,
      dataDir: folder.root,
      hosts: { orchestrator, worker },
      proxies: { orchestrator: orchestratorProxy, worker: workerProxy },
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
