// The in-process host API (docs/contracts.md, "devhost in-process host API").
export { loadFunctionApp, applyLocalSettings } from './app-loader.js';
export type { LoadFunctionAppOptions, LoadedFunctionApp } from './app-loader.js';
export type { AppInvoker, DurableClientDataProvider } from './invoker.js';
export { FunctionNotFoundError, HostNotReadyError, AppLoadError } from './errors.js';
export { startFunctionHost } from './host.js';
export type { FunctionHost, FunctionHostOptions } from './host.js';
export { loadOrCreateKeys } from './keys.js';
export type { HostKeys } from './keys.js';
export { ManualClock, systemClock } from './timers/clock.js';
export type { Clock } from './timers/clock.js';
export type { TimerFired, ScheduleStatus } from './timers/timer-host.js';
