import { RedisServer, waitFor } from '@clustache/testing';
import { createCache, type CoherentCache } from '../src';
import { VersionClock } from '../src/clock';
import { RemoteReplica } from './support/remote-replica';

/** How far the replica process's host clock is ahead of this one's. */
const SKEWED_BY_MS = 1500;
/** How far a synced clock may read from the server's: half the fastest TIME round trip, with room. */
const SYNC_ERROR_MS = 100;

/**
 * A replica whose host clock is far off writes on the Redis server's clock, not its own: its
 * versions land near true time, so its peers order its writes against theirs by when they
 * happened. Without the sync they would read 1.5 s in the future, and a fill it loaded before a
 * peer's write would win over that write.
 */
describe('clock sync with the Redis server', () => {
  let redis: RedisServer;
  let peer: CoherentCache<number> | undefined;
  let skewed: RemoteReplica | undefined;

  beforeAll(async () => {
    redis = await RedisServer.start();
  });

  afterAll(async () => {
    await skewed?.stop();
    await peer?.close();
    await redis.kill();
  });

  it("gives a replica whose clock is 1.5 s ahead versions on the server's time", async () => {
    peer = createCache<number>({ name: 'clock', redis: redis.url });
    const versions: number[] = [];
    peer.on('applied', (message) => {
      if (message.type === 'put') versions.push(message.version);
    });
    await peer.ready();
    skewed = await RemoteReplica.start(
      { name: 'clock', redis: redis.url, replicaId: 'skewed' },
      { clockSkewMs: SKEWED_BY_MS },
    );
    const remote = skewed;
    /** Whether the version of a put the remote issued lies within the call that made it (plus the sync's error). */
    const onServerTime = async (value: number): Promise<boolean> => {
      const heard = versions.length;
      const before = Date.now();
      await remote.set('k', value);
      const after = Date.now();
      await waitFor(() => versions.length > heard, { description: 'the put to reach the peer' });
      const at = VersionClock.millisOf(versions[versions.length - 1]!);
      return at >= before - SYNC_ERROR_MS && at <= after + SYNC_ERROR_MS;
    };
    // Versions issued before the first sync may run ahead; the hybrid clock then holds them back
    // until the server's time passes them, so the remote converges within SKEWED_BY_MS.
    let value = 0;
    await waitFor(() => onServerTime(++value), {
      timeoutMs: 10_000,
      description: "the remote's versions on the server's time",
    });
    for (let i = 0; i < 5; i++) expect(await onServerTime(++value)).toBe(true);
  }, 30_000);
});
