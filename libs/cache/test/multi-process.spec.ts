import { RedisServer, waitFor } from '@clustache/testing';
import { ReplicaProcess } from './support/replica-process';

type Lookup = { value: string | undefined; from: string | undefined };
type Stats = { loads: number; entries: number; gaps: number; reconnects: number; ready: boolean };

describe('replicas in separate processes', () => {
  let redis: RedisServer;
  let replicas: ReplicaProcess[];

  beforeAll(async () => {
    redis = await RedisServer.start();
    replicas = await Promise.all(['p1', 'p2', 'p3'].map((id) => ReplicaProcess.start(redis.url, id)));
  }, 60_000);
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
    await redis.kill();
  });

  const [first, second, third] = [0, 1, 2];
  const entries = (i: number) => replicas[i]!.call<number>('entries');

  it('loads a key once and serves it from every other process without the source', async () => {
    expect(await replicas[first]!.call<Lookup>('lookup', 'k1')).toEqual({ value: 'k1@p1', from: 'source' });
    await waitFor(async () => (await entries(second)) === 1 && (await entries(third)) === 1, {
      description: 'fill reached p2 and p3',
    });
    expect(await replicas[second]!.call<Lookup>('lookup', 'k1')).toEqual({
      value: 'k1@p1',
      from: 'subscription',
    });
    expect(await replicas[third]!.call<Lookup>('lookup', 'k1')).toEqual({
      value: 'k1@p1',
      from: 'subscription',
    });
    const loads = await Promise.all(replicas.map((replica) => replica.call<Stats>('stats')));
    expect(loads.map((s) => s.loads)).toEqual([1, 0, 0]);
  });

  it('applies a delete from one process on all of them', async () => {
    await replicas[second]!.call('set', 'k2', 'v2');
    await waitFor(async () => (await replicas[third]!.call<Lookup>('lookup', 'k2')).from === 'subscription');
    await replicas[third]!.call('delete', 'k2');
    await waitFor(async () => (await replicas[first]!.call<Lookup>('lookup', 'k2')).value === 'k2@p1', {
      description: 'p1 reloads',
    });
    expect(await replicas[second]!.call<Lookup>('lookup', 'k2')).not.toMatchObject({ value: 'v2' });
  });

  it('survives a Redis restart: every process resubscribes and serves nothing from before it', async () => {
    await replicas[first]!.call('lookup', 'before');
    await waitFor(async () => (await entries(third)) >= 1);
    await redis.kill();
    await redis.restart();
    await waitFor(
      async () => {
        const stats = await Promise.all(replicas.map((replica) => replica.call<Stats>('stats')));
        return stats.every((s) => s.ready && s.reconnects >= 1);
      },
      { timeoutMs: 20_000, description: 'all resubscribed' },
    );
    expect(await Promise.all(replicas.map((_, i) => entries(i)))).toEqual([0, 0, 0]);
    const loadsBefore = (await replicas[second]!.call<Stats>('stats')).loads;
    expect(await replicas[second]!.call<Lookup>('lookup', 'before')).toEqual({
      value: 'before@p2',
      from: 'source',
    });
    expect((await replicas[second]!.call<Stats>('stats')).loads).toBe(loadsBefore + 1);
    await waitFor(
      async () => (await replicas[first]!.call<Lookup>('lookup', 'before')).value === 'before@p2',
      {
        description: 'the reload travels again after the restart',
      },
    );
  }, 40_000);
});
