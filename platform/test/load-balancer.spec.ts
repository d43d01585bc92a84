import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { freePort, waitFor } from '@clustache/testing';
import { LoadBalancer } from '../src/load-balancer';

/** A stand-in replica: answers every request with its name, and /ready with 200 or 503. */
class Replica {
  ready = true;
  requests = 0;
  private server: Server | undefined;

  constructor(
    readonly name: string,
    readonly port: number,
  ) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      if (req.url === '/ready') {
        res.writeHead(this.ready ? 200 : 503).end();
        return;
      }
      this.requests++;
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () =>
        res
          .writeHead(200, { 'x-instance-id': this.name })
          .end(JSON.stringify({ name: this.name, method: req.method, url: req.url, body })),
      );
    });
    this.server.listen(this.port, '127.0.0.1');
    await once(this.server, 'listening');
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('LoadBalancer', () => {
  let replicas: Replica[];
  let balancer: LoadBalancer;
  let url: string;

  beforeEach(async () => {
    replicas = [
      new Replica('api-1', await freePort()),
      new Replica('api-2', await freePort()),
      new Replica('api-3', await freePort()),
    ];
    await Promise.all(replicas.map((replica) => replica.start()));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    balancer = new LoadBalancer({
      port,
      backends: replicas.map(({ name, port }) => ({ name, port })),
      checkEveryMs: 50,
    });
    await balancer.start();
  });

  afterEach(async () => {
    await balancer.stop();
    await Promise.all(replicas.map((replica) => replica.stop()));
  });

  const instanceOf = async (path = '/items/1', init?: RequestInit) => {
    const response = await fetch(`${url}${path}`, init);
    await response.arrayBuffer();
    return { status: response.status, instance: response.headers.get('x-instance-id') };
  };

  it('spreads requests round-robin over the ready replicas', async () => {
    const seen = [];
    for (let i = 0; i < 6; i++) seen.push((await instanceOf()).instance);
    expect(seen).toEqual(['api-1', 'api-2', 'api-3', 'api-1', 'api-2', 'api-3']);
  });

  it('forwards method, path and body', async () => {
    const response = await fetch(`${url}/items?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"id":"7"}',
    });
    expect(await response.json()).toMatchObject({ method: 'POST', url: '/items?x=1', body: '{"id":"7"}' });
  });

  it('skips a replica that is not ready, and takes it back when it is', async () => {
    replicas[1]!.ready = false;
    await waitFor(() => !balancer.readyBackends.includes('api-2'), { description: 'api-2 out' });
    const seen = new Set<string | null>();
    for (let i = 0; i < 6; i++) seen.add((await instanceOf()).instance);
    expect([...seen].sort()).toEqual(['api-1', 'api-3']);
    replicas[1]!.ready = true;
    await waitFor(() => balancer.readyBackends.includes('api-2'), { description: 'api-2 back' });
  });

  it('retries a GET on the next replica when one refuses the connection', async () => {
    await replicas[0]!.stop();
    const answers = await Promise.all(Array.from({ length: 6 }, () => instanceOf()));
    expect(answers.every((answer) => answer.status === 200 && answer.instance !== 'api-1')).toBe(true);
  });

  it('answers 503 when no replica is ready', async () => {
    for (const replica of replicas) replica.ready = false;
    await waitFor(() => balancer.readyBackends.length === 0, { description: 'every replica out' });
    const response = await fetch(`${url}/items/1`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: { code: 'NO_READY_REPLICA' } });
  });
});
