import { createApiClient } from './data/api-client.js';

/** The client every view uses: same-origin calls to the dashboard server. */
export const api = createApiClient({ fetch: (url, init) => fetch(url, init) });
