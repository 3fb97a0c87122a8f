// The process-wide clients, built from the settings on first use.
import { createFailureStore, type FailureStore } from './failures/failure-store.js';
import { failureStorageSettings, workerSettings } from './settings.js';
import { createTokenProvider, sharedManagedIdentityCredential } from './worker/token-provider.js';
import { createWorkerClient, type WorkerClient } from './worker/worker-client.js';

let client: WorkerClient | undefined;
let store: FailureStore | undefined;

/** The process-wide worker client, built from the settings on first use. */
export function workerClient(): WorkerClient {
  if (!client) {
    const settings = workerSettings();
    const credential = sharedManagedIdentityCredential(settings.identityClientId);
    client = createWorkerClient({
      settings,
      tokens: createTokenProvider(credential, settings.scope, settings.tokenTimeoutMs),
    });
  }
  return client;
}

/** The process-wide failure store, built from the settings on first use. */
export function failureStore(): FailureStore {
  store ??= createFailureStore(failureStorageSettings());
  return store;
}
