import { join } from 'node:path';
import { freePort, RedisServer, ServiceProcess, waitFor } from '@clustache/testing';
import { apiReplicaSpec } from '../src/components/api-replica';
import { LoadBalancer } from '../src/load-balancer';
import { RawConnection, statusCodes } from './support/raw-connection';

/** The API's entry point as source, run through tsx, so the test never runs a stale build. */
const API_SOURCE_MAIN = join(__dirname, '..', '..', 'apps', 'cache-api', 'src', 'main.ts');

interface Answer {
  status: number;
  instance: string | null;
  cacheStatus: string | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary response fields
  body: any;
}

async function call(url: string, init?: RequestInit): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  return {
    status: response.status,
    instance: response.headers.get('x-instance-id'),
    cacheStatus: response.headers.get('x-cache-status'),
    body: response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text,
  };
}

const post = (url: string, body: unknown) =>
  call(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/**
 * `npm start`'s load balancer routes on `/ready`, as a Kubernetes Service does. Redis is shared
 * by every replica, so readiness gates only start-up and shutdown: when Redis dies after start-up
 * the replicas stay behind the balancer, L1 keeps answering through it, and what needs Redis gets
 * the replica's own 503 REDIS_UNAVAILABLE, never the balancer's NO_READY_REPLICA.
 * Real parts throughout: a redis-server, two API processes, the real balancer. The tests are one
 * scenario in order: start-up before Redis exists, the outage, then one replica's shutdown.
 */
describe('a Redis outage behind the load balancer', () => {
  let redis: RedisServer | undefined;
  let redisPort: number;
  const replicas = new Map<string, { process: ServiceProcess; port: number; url: string }>();
  let balancer: LoadBalancer;
  let url: string;

  beforeAll(async () => {
    redisPort = await freePort();
    for (const name of ['api-1', 'api-2']) {
      const port = await freePort();
      // The same environment `npm start` gives its replicas.
      const spec = apiReplicaSpec(
        name,
        port,
        {
          redisUrl: `redis://127.0.0.1:${redisPort}`,
          sourceLatencyMs: 20,
          cacheTtlSeconds: 300,
          adminToken: 'test-token',
        },
        '/unused',
      );
      replicas.set(name, {
        process: ServiceProcess.start(API_SOURCE_MAIN, spec.env!),
        port,
        url: `http://127.0.0.1:${port}`,
      });
    }
    for (const [name, replica] of replicas) {
      await waitFor(
        async () => {
          if (!replica.process.running) throw new Error(`${name} exited: ${replica.process.stderr}`);
          return (await fetch(`${replica.url}/health`).catch(() => undefined))?.ok === true;
        },
        { timeoutMs: 30_000, description: `${name} to listen` },
      );
    }
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    balancer = new LoadBalancer({
      port,
      backends: [...replicas].map(([name, replica]) => ({ name, port: replica.port })),
      checkEveryMs: 100,
      failureThreshold: 2,
    });
    await balancer.start();
  }, 60_000);

  afterAll(async () => {
    await balancer?.stop();
    await Promise.all([...replicas.values()].map((replica) => replica.process.kill()));
    await redis?.kill();
  });

  /** Waits until the balancer has checked every replica `rounds` more times. */
  const checkedAgain = async (rounds: number) => {
    const from = balancer.readinessRounds;
    await waitFor(() => balancer.readinessRounds >= from + rounds, {
      timeoutMs: 15_000,
      description: `${rounds} more readiness rounds`,
    });
  };

  it('keeps replicas out until their first Redis connection', async () => {
    for (const [, replica] of replicas) {
      const ready = await call(`${replica.url}/ready`);
      expect([ready.status, ready.body.error.code]).toEqual([503, 'NOT_READY']);
    }
    await checkedAgain(2);
    expect(balancer.readyBackends).toEqual([]);
    const refused = await call(`${url}/data/early`);
    expect([refused.status, refused.body.error.code]).toEqual([503, 'NO_READY_REPLICA']);

    redis = await RedisServer.start({ port: redisPort });
    await waitFor(() => balancer.readyBackends.length === 2, {
      timeoutMs: 15_000,
      description: 'both replicas to join the balancer',
    });
  });

  it('keeps them in through an outage: L1 hits answer, what needs Redis is 503 REDIS_UNAVAILABLE, then recovers', async () => {
    const warm = await call(`${url}/data/warm`);
    expect(warm.status).toBe(200);
    for (const [name, replica] of replicas) {
      await waitFor(async () => (await call(`${replica.url}/stats`)).body.keys === 1, {
        description: `${name} to hold the warm key`,
      });
    }

    await redis!.kill();
    for (const [name, replica] of replicas) {
      await waitFor(async () => (await call(`${replica.url}/stats`)).body.busConnected === false, {
        description: `${name} to notice the outage`,
      });
    }
    await checkedAgain(3); // more rounds than the failure threshold
    expect(balancer.readyBackends).toEqual(['api-1', 'api-2']);

    // Round-robin: both replicas answer the L1-held key through the balancer.
    const hits = [await call(`${url}/data/warm`), await call(`${url}/data/warm`)];
    expect(hits.map((hit) => [hit.status, hit.cacheStatus, hit.body])).toEqual([
      [200, 'HIT', warm.body],
      [200, 'HIT', warm.body],
    ]);
    expect(hits.map((hit) => hit.instance).sort()).toEqual(['api-1', 'api-2']);

    for (const needsRedis of [
      await call(`${url}/data/cold`),
      await call(`${url}/data/cold`),
      await post(`${url}/items`, { id: 'during', name: 'During', price: 1 }),
    ]) {
      expect([needsRedis.status, needsRedis.body.error.code]).toEqual([503, 'REDIS_UNAVAILABLE']);
      expect(['api-1', 'api-2']).toContain(needsRedis.instance); // the replica answered, not the balancer
    }
    const ready = await call(`${url}/ready`);
    expect([ready.status, ready.body.status, ready.body.redis]).toEqual([200, 'ready', 'unavailable']);

    await redis!.restart();
    for (const [name, replica] of replicas) {
      await waitFor(async () => (await call(`${replica.url}/ready`)).body.redis === 'connected', {
        timeoutMs: 15_000,
        description: `${name} to reconnect`,
      });
    }
    expect((await post(`${url}/items`, { id: 'after', name: 'After', price: 1 })).status).toBe(201);
    const reads = [await call(`${url}/items/after`), await call(`${url}/items/after`)];
    expect(reads.map((read) => [read.instance, read.status]).sort()).toEqual([
      ['api-1', 200],
      ['api-2', 200],
    ]);
    const cold = [await call(`${url}/data/cold`), await call(`${url}/data/cold`)];
    expect(cold.map((read) => read.status)).toEqual([200, 200]);
  }, 60_000);

  it('answers /ready with 503 SHUTTING_DOWN once a replica is shutting down, while the balancer moves on', async () => {
    const leaving = replicas.get('api-2')!;
    const connection = await RawConnection.open(leaving.port);
    try {
      const batch = connection.startPost('/items/batch', '{"ids":["after"]}');
      await waitFor(() => connection.received.includes('100 Continue'), {
        description: 'api-2 to have the request in flight',
      });
      leaving.process.child.kill('SIGTERM');
      await waitFor(() => leaving.process.stdout.includes('shutting down'), {
        description: 'api-2 to begin shutting down',
      });
      // A replica that began shutting down refuses new connections; only a busy one still reaches it.
      batch.finishBody();
      connection.get('/ready');
      const raw = await connection.closed();
      expect(statusCodes(raw)).toEqual([100, 200, 503]);
      expect(raw).toContain('"code":"SHUTTING_DOWN"');
      expect(await leaving.process.exited).toEqual({ code: 0, signal: null });

      await waitFor(() => balancer.readyBackends.join() === 'api-1', { description: 'api-2 to leave' });
      const after = await call(`${url}/data/warm`);
      expect([after.status, after.instance]).toEqual([200, 'api-1']);
    } finally {
      connection.destroy();
    }
  }, 30_000);
});
