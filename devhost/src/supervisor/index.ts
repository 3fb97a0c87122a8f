// The supervisor: the whole local system in one call (`devhost start`, tests' startTestSystem).
export { startSystem, REPO_ROOT } from './system.js';
export type { RunningSystem, SystemOptions, SystemUrls } from './system.js';
export { DEFAULT_PORTS, PortInUseError, portsFromBase, resolvePorts } from './ports.js';
export type { SystemPorts } from './ports.js';
export { createRecordWriter, formatWhereTable } from './render.js';
export type { WhereRow } from './render.js';
export { startHostProcess, HostStartError } from './host-process.js';
export type { HostProcess, HostProcessOptions } from './host-process.js';
export { startManagedHost } from './managed-host.js';
export type { ManagedHost } from './managed-host.js';
