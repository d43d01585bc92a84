import {
  Agent,
  createServer,
  request,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { once } from 'node:events';
import { httpOk } from './net';

export interface Backend {
  name: string;
  port: number;
}

export interface LoadBalancerOptions {
  backends: Backend[];
  port: number;
  /** Path polled on each backend; only backends answering 2xx get traffic. @default '/ready' */
  readinessPath?: string;
  /** @default 1000 */
  checkEveryMs?: number;
  /** Failed checks in a row that take a replica out, as a readiness probe's failureThreshold. @default 2 */
  failureThreshold?: number;
}

/** Headers that describe one connection, not the message: never forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
]);

/**
 * The seed's nginx in front of the replicas: one address for the API, round-robin over the
 * replicas that are ready, as a Kubernetes Service routes only to ready pods: a replica is out
 * after `failureThreshold` failed readiness checks in a row and back after one good one. A backend
 * that refuses a connection is taken out at once; idempotent requests then retry on the next one.
 * With no ready replica the answer is 503 `NO_READY_REPLICA`. Replicas' `/ready` gates only their
 * start-up and shutdown: through a Redis outage they stay in, and answer what needs Redis with
 * their own 503 `REDIS_UNAVAILABLE` while L1 keeps serving.
 */
export class LoadBalancer {
  private readonly ready = new Set<string>();
  private readonly failures = new Map<string, number>();
  private checking = false;
  private rounds = 0;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256 });
  private next = 0;
  private server: Server | undefined;
  private checker: NodeJS.Timeout | undefined;

  constructor(private readonly options: LoadBalancerOptions) {}

  get readyBackends(): string[] {
    return this.options.backends
      .filter((backend) => this.ready.has(backend.name))
      .map((backend) => backend.name);
  }

  /** Readiness rounds finished since start: a round checks every backend once. */
  get readinessRounds(): number {
    return this.rounds;
  }

  async start(): Promise<void> {
    await this.checkAll();
    this.checker = setInterval(() => void this.checkAll(), this.options.checkEveryMs ?? 1000);
    const server = createServer((req, res) => this.forward(req, res));
    server.keepAliveTimeout = 5000;
    server.listen(this.options.port, '127.0.0.1');
    await once(server, 'listening');
    this.server = server;
  }

  async stop(): Promise<void> {
    clearInterval(this.checker);
    const server = this.server;
    this.server = undefined;
    if (server !== undefined) {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
    }
    this.agent.destroy();
  }

  private async checkAll(): Promise<void> {
    if (this.checking) return; // a slow round must not pile up behind the timer
    this.checking = true;
    const path = this.options.readinessPath ?? '/ready';
    const threshold = this.options.failureThreshold ?? 2;
    try {
      await Promise.all(
        this.options.backends.map(async (backend) => {
          if (await httpOk(`http://127.0.0.1:${backend.port}${path}`, 2000)) {
            this.failures.set(backend.name, 0);
            this.ready.add(backend.name);
            return;
          }
          const failures = (this.failures.get(backend.name) ?? threshold - 1) + 1;
          this.failures.set(backend.name, failures);
          if (failures >= threshold) this.ready.delete(backend.name);
        }),
      );
    } finally {
      this.checking = false;
      this.rounds++;
    }
  }

  /** The next ready backend after the last one used, skipping `tried`. */
  private pick(tried: Set<string>): Backend | undefined {
    const backends = this.options.backends;
    for (let i = 0; i < backends.length; i++) {
      const backend = backends[(this.next + i) % backends.length]!;
      if (this.ready.has(backend.name) && !tried.has(backend.name)) {
        this.next = (this.next + i + 1) % backends.length;
        return backend;
      }
    }
    return undefined;
  }

  private forward(req: IncomingMessage, res: ServerResponse, tried = new Set<string>()): void {
    const backend = this.pick(tried);
    if (backend === undefined) {
      if (!res.headersSent) {
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
        res.end(JSON.stringify({ error: { code: 'NO_READY_REPLICA', message: 'no API replica is ready' } }));
      }
      req.resume();
      return;
    }
    tried.add(backend.name);
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
    }
    headers['x-forwarded-for'] = req.socket.remoteAddress ?? '127.0.0.1';
    const upstream = request(
      {
        host: '127.0.0.1',
        port: backend.port,
        method: req.method,
        path: req.url,
        headers,
        agent: this.agent,
      },
      (answer) => {
        const forwarded: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(answer.headers)) {
          if (value !== undefined && !HOP_BY_HOP.has(name)) forwarded[name] = value;
        }
        res.writeHead(answer.statusCode ?? 502, forwarded);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      const refused = error.code === 'ECONNREFUSED' || error.code === 'ECONNRESET';
      if (refused) this.ready.delete(backend.name);
      const idempotent = req.method === 'GET' || req.method === 'HEAD';
      if (refused && idempotent && !res.headersSent) {
        this.forward(req, res, tried);
        return;
      }
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: { code: 'BAD_GATEWAY', message: `replica ${backend.name}: ${error.message}` },
          }),
        );
      } else {
        res.destroy();
      }
    });
    if (req.method === 'GET' || req.method === 'HEAD') {
      req.resume();
      upstream.end();
    } else req.pipe(upstream);
  }
}
