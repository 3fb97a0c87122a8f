// The ports of a local system: the defaults in docs/contracts.md, flags, and free ports for 0.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export interface SystemPorts {
  /** orchestrator-app through its Easy Auth proxy. */
  orchestrator: number;
  /** worker-app through its Easy Auth proxy. */
  worker: number;
  /** Local Entra issuer and managed-identity endpoint. */
  identity: number;
  dashboard: number;
  /** The app hosts behind the proxies. */
  orchestratorHost: number;
  workerHost: number;
}

export const DEFAULT_PORTS: SystemPorts = {
  orchestrator: 7071,
  worker: 7072,
  identity: 7075,
  dashboard: 7070,
  orchestratorHost: 7081,
  workerHost: 7082,
};

/** Each port's distance from the dashboard's, so `--port-base 8070` gives 8070, 8071, … 8082. */
const OFFSETS: SystemPorts = {
  orchestrator: 1,
  worker: 2,
  identity: 5,
  dashboard: 0,
  orchestratorHost: 11,
  workerHost: 12,
};

/** Ports for a base: 0 makes every port ephemeral. */
export function portsFromBase(base: number): SystemPorts {
  const at = (offset: number): number => (base === 0 ? 0 : base + offset);
  return {
    orchestrator: at(OFFSETS.orchestrator),
    worker: at(OFFSETS.worker),
    identity: at(OFFSETS.identity),
    dashboard: at(OFFSETS.dashboard),
    orchestratorHost: at(OFFSETS.orchestratorHost),
    workerHost: at(OFFSETS.workerHost),
  };
}

/** A port the system needs is taken; the message names the flag that moves it. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
}

const FLAG_OF: Record<keyof SystemPorts, string> = {
  orchestrator: '--orchestrator-port',
  worker: '--worker-port',
  identity: '--identity-port',
  dashboard: '--dashboard-port',
  orchestratorHost: '--orchestrator-host-port',
  workerHost: '--worker-host-port',
};

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The ports below the kernel's ephemeral range, where a free port stays free until we bind it: a
 * port the kernel handed out for `listen(0)` and we released can be taken at once by any outgoing
 * connection, which made systems started side by side in busy test runs fail with EADDRINUSE.
 */
function quietRange(): { low: number; high: number } | undefined {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
    if (low === undefined || !Number.isInteger(low) || low < 12_000) return undefined;
    return { low: 10_000, high: low };
  } catch {
    return undefined;
  }
}

/** A free loopback port: a random one below the ephemeral range where the system has one, else any. */
async function freePort(
  taken: ReadonlySet<number>,
  range: { low: number; high: number } | undefined,
): Promise<number> {
  for (let tries = 0; range && tries < 100; tries += 1) {
    const candidate = range.low + Math.floor(Math.random() * (range.high - range.low));
    if (taken.has(candidate)) continue;
    try {
      return await listenOnce(candidate);
    } catch {
      // taken: try another
    }
  }
  return listenOnce(0);
}

/**
 * Replaces every 0 with a free loopback port and checks the others are free. The parts need each
 * other's addresses before they start (the worker's URL goes into the orchestrator's settings),
 * so ports are fixed first.
 */
export async function resolvePorts(ports: SystemPorts): Promise<SystemPorts> {
  const resolved = { ...ports };
  const taken = new Set(Object.values(ports).filter((port) => port !== 0));
  const range = quietRange();
  for (const key of Object.keys(resolved) as (keyof SystemPorts)[]) {
    if (resolved[key] === 0) {
      resolved[key] = await freePort(taken, range);
      taken.add(resolved[key]);
      continue;
    }
    try {
      resolved[key] = await listenOnce(resolved[key]);
    } catch (err) {
      throw new PortInUseError(
        `Port ${resolved[key]} (${key}) is in use: stop what listens there, or move it with ${FLAG_OF[key]} or --port-base (0 picks free ports).`,
        { cause: err },
      );
    }
  }
  const all = Object.values(resolved);
  if (new Set(all).size !== all.length) {
    throw new PortInUseError(`Two parts were given the same port (${all.join(', ')}); give each its own.`);
  }
  return resolved;
}
