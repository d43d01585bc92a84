import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CacheApi } from './app';

/** How long in-flight requests get to finish after SIGTERM before their connections are cut. */
export const SHUTDOWN_GRACE_MS = 10_000;

/** An API instance listening on a port, with the graceful stop that SIGTERM triggers. */
export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  readonly url: string;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), then closes Redis. */
  shutdown(graceMs?: number): Promise<void>;
}

/** Listens on `port` (0: any free port) and resolves once the socket is bound. */
export async function serve(api: CacheApi, port: number): Promise<RunningServer> {
  const server = createServer(api.listener).listen(port);
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([error]) => Promise.reject(error)),
  ]);
  const bound = (server.address() as AddressInfo).port;
  let stopping: Promise<void> | undefined;
  return {
    server,
    port: bound,
    url: `http://127.0.0.1:${bound}`,
    shutdown(graceMs = SHUTDOWN_GRACE_MS) {
      stopping ??= stop(server, api, graceMs);
      return stopping;
    },
  };
}

async function stop(server: Server, api: CacheApi, graceMs: number): Promise<void> {
  api.beginShutdown();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Keep-alive connections become idle as their last response finishes; close each one then.
  const sweeper = setInterval(() => server.closeIdleConnections(), 25);
  const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
  try {
    await closed;
  } finally {
    clearInterval(sweeper);
    clearTimeout(deadline);
  }
  await api.close();
}
