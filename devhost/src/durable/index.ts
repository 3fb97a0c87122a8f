import type { CreateDurableExtension } from '../contracts.js';

// Placeholder with the final signature; the durable backend replaces it.
export const createDurableExtension: CreateDurableExtension = () =>
  Promise.reject(new Error('devhost: the durable backend is not built yet'));
