// Identity servers running in this process, by origin, so a caller in the same process (the
// supervisor, the dashboard, the demo) finds the data folder holding the operator secret.
const running = new Map<string, string>();

export function registerLocalIssuer(origin: string, dataDir: string): () => void {
  running.set(origin, dataDir);
  return () => {
    if (running.get(origin) === dataDir) running.delete(origin);
  };
}

/** The data folder of the identity server at this origin (or issuer URL), if it runs in this process. */
export function dataDirOfLocalIssuer(url: string): string | undefined {
  try {
    return running.get(new URL(url).origin);
  } catch {
    return undefined;
  }
}
