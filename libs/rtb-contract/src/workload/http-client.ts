import { Agent, request } from 'node:http';

export interface Reply {
  status: number;
  body: string;
  /** From sending the request to the end of the response. */
  ms: number;
}

/**
 * A keep-alive HTTP client for the workload: node:http with a socket pool, as light as a load
 * generator on the same 2 cores as the system under test should be. A failed connection is a
 * reply with status 0, so the workload counts it instead of stopping.
 */
export class HttpClient {
  private readonly agent: Agent;

  constructor(
    private readonly baseUrl: URL,
    sockets = 128,
    private readonly timeoutMs = 120_000,
  ) {
    // Idle sockets close on our side after 30 s, before the server's keep-alive timeout, so a
    // request is never written to a socket the server is closing.
    this.agent = new Agent({ keepAlive: true, maxSockets: sockets, timeout: 30_000 });
  }

  post(path: string, json?: string): Promise<Reply> {
    const started = performance.now();
    return new Promise((resolve) => {
      const req = request(
        {
          host: this.baseUrl.hostname,
          port: this.baseUrl.port,
          path,
          method: 'POST',
          agent: this.agent,
          headers:
            json === undefined
              ? { 'Content-Length': 0 }
              : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(json) },
          timeout: this.timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              ms: performance.now() - started,
            }),
          );
          res.on('error', (error) =>
            resolve({ status: 0, body: String(error), ms: performance.now() - started }),
          );
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', (error) =>
        resolve({ status: 0, body: String(error), ms: performance.now() - started }),
      );
      req.end(json);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
