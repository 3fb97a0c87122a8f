// Test servers on 127.0.0.1: a free port each, and a close that does not wait for idle keep-alives.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A server listening on loopback. */
export interface Listening {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  url: string;
  /** Stops listening, drops open connections, and resolves once the server closed. */
  close: () => Promise<void>;
}

/** Starts `server` on 127.0.0.1 with a free port. */
export async function listenOnLoopback(server: Server): Promise<Listening> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
