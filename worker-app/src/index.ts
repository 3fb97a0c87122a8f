// The worker app's entry (package.json main): importing each function file registers it with the host.
import './functions/health.js';
import './functions/list-items.js';
import './functions/process-item.js';

export { health } from './functions/health.js';
export { listItems } from './functions/list-items.js';
export { processItem } from './functions/process-item.js';
export { resetRuntime } from './runtime.js';
