import Redis, { ReplyError } from 'ioredis';
import { RedisServer } from '@clustache/testing';
import { execAll, isReplyError } from '../src';

/** The batch helpers against a real redis-server. */
describe('execAll and isReplyError', () => {
  let redis: RedisServer;
  let client: Redis;

  beforeAll(async () => {
    redis = await RedisServer.start();
    client = new Redis(redis.url, { disableClientInfo: true });
  });

  afterAll(async () => {
    client.disconnect();
    await redis.kill();
  });

  it("returns each command's reply, in order, for a pipeline and a MULTI", async () => {
    expect(await execAll(client.pipeline().set('a', '1').incr('a').get('a'))).toEqual(['OK', 2, '2']);
    expect(await execAll(client.multi().set('b', 'x').append('b', 'y'))).toEqual(['OK', 2]);
  });

  it('returns nothing for an empty pipeline', async () => {
    expect(await execAll(client.pipeline())).toEqual([]);
  });

  it("throws the first command's error although Redis ran the rest", async () => {
    const batch = client.pipeline().set('c', 'text').incr('c').hget('c', 'field').set('d', '1');
    const failure = await execAll(batch).catch((error) => error);
    expect(failure).toBeInstanceOf(ReplyError);
    expect((failure as Error).message).toMatch(/not an integer/);
    expect(await client.get('d')).toBe('1');
  });

  it('throws when WATCH discarded the transaction', async () => {
    const watcher = redis.client();
    try {
      await watcher.watch('e');
      await client.set('e', 'changed');
      await expect(execAll(watcher.multi().set('e', 'mine'))).rejects.toThrow(
        'the transaction was discarded',
      );
      expect(await client.get('e')).toBe('changed');
    } finally {
      watcher.disconnect();
    }
  });

  it('tells a reply error by its code', async () => {
    const failure = await client.xgroup('CREATE', 'no-stream', 'group', '0').catch((error) => error);
    expect(isReplyError(failure, 'ERR')).toBe(true);
    expect(isReplyError(failure, 'NOGROUP')).toBe(false);
    expect(isReplyError(new Error('ERR but not from Redis'), 'ERR')).toBe(false);
  });
});
