import { once } from 'node:events';
import type { RequestListener, Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How long in-flight requests get to finish after SIGTERM before their connections are cut. */
export const SHUTDOWN_GRACE_MS = 10_000;

/** How long an idle keep-alive connection stays open on the server's side. */
export const KEEP_ALIVE_MS = 65_000;

/** A server listening on a port, with the graceful stop that SIGTERM triggers. */
export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  readonly url: string;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), then runs `onDrained`. */
  shutdown(graceMs?: number): Promise<void>;
}

export interface ServeOptions {
  /** Called first on shutdown, e.g. to turn `/ready` to 503 and send `Connection: close`. */
  onShutdownBegin?: () => void;
  /** Called once every connection is closed: close Redis and the like here. */
  onDrained?: () => Promise<void>;
}

/** Listens on `port` (0: any free port) and resolves once the socket is bound. */
export async function serve(
  handler: RequestListener,
  port: number,
  options: ServeOptions = {},
): Promise<RunningServer> {
  const server = createServer(handler);
  // Longer than clients' and load balancers' idle timeouts (60 s is common), so the server is
  // never the side that closes an idle keep-alive connection just as a client reuses it: that
  // race loses the request (ECONNRESET) before it reaches us. Node's default is 5 s.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1000;
  server.listen(port);
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
      stopping ??= stop(server, graceMs, options);
      return stopping;
    },
  };
}

async function stop(server: Server, graceMs: number, options: ServeOptions): Promise<void> {
  options.onShutdownBegin?.();
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
  await options.onDrained?.();
}

/** What `exitOnSignal` logs through: any logger with these two methods. */
export interface SignalLogger {
  info(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

/** Runs `shutdown` on the first SIGTERM or SIGINT, then exits 0 (1 if shutting down failed). */
export function exitOnSignal(shutdown: () => Promise<void>, logger: SignalLogger): void {
  const handle = (signal: NodeJS.Signals) => {
    logger.info('shutting down: finishing in-flight requests', { signal });
    shutdown().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error('shutdown failed', { err: error });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', handle);
  process.once('SIGINT', handle);
}
