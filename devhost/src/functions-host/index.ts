// The in-process host API (docs/contracts.md, "devhost in-process host API").
export { loadFunctionApp, applyLocalSettings } from './app-loader.js';
export type { LoadFunctionAppOptions, LoadedFunctionApp } from './app-loader.js';
export type { AppInvoker, DurableClientDataProvider } from './invoker.js';
export { FunctionNotFoundError, HostNotReadyError, AppLoadError } from './errors.js';
