import { ReplyError } from 'ioredis';
import { RedisServer, waitFor } from '@clustache/testing';
import { RedisConnection, RedisUnavailableApiError, silentLogger } from '../src';

/** A service's own Redis connection against a real redis-server that goes away and comes back. */
describe('RedisConnection', () => {
  let redis: RedisServer;
  const connections: RedisConnection[] = [];
  const connect = async (role: 'request' | 'background') => {
    const connection = RedisConnection.connect(redis.url, role, silentLogger);
    connections.push(connection);
    await connection.whenReady();
    return connection;
  };

  beforeEach(async () => {
    redis = await RedisServer.start();
  });

  afterEach(async () => {
    await Promise.all(connections.splice(0).map((connection) => connection.close()));
    await redis.kill();
  });

  it('answers through the connection while Redis is up', async () => {
    const connection = await connect('request');
    expect(connection.isReady).toBe(true);
    await connection.run('write', (client) => client.set('k', 'v'));
    expect(await connection.run('read', (client) => client.get('k'))).toBe('v');
  });

  it('turns a lost connection into the 503 REDIS_UNAVAILABLE error, and recovers', async () => {
    const connection = await connect('request');
    await redis.kill();
    const failure = await connection.run('items.get', (client) => client.get('k')).catch((error) => error);
    expect(failure).toBeInstanceOf(RedisUnavailableApiError);
    expect(failure).toMatchObject({
      status: 503,
      code: 'REDIS_UNAVAILABLE',
      operation: 'items.get',
      message: 'Redis is unavailable (items.get); retry later',
    });
    expect((failure as Error).cause).toBeInstanceOf(Error);
    // The failure can come before ioredis handles the socket's close; it notices soon after.
    await waitFor(() => !connection.isReady, { description: 'the connection to notice Redis is gone' });

    await redis.restart();
    await connection.whenReady();
    expect(await connection.run('ping', (client) => client.ping())).toBe('PONG');
  });

  it('fails a request-role command within seconds while Redis is away', async () => {
    const connection = await connect('request');
    await redis.kill();
    const started = Date.now();
    await expect(connection.run('ping', (client) => client.ping())).rejects.toBeInstanceOf(
      RedisUnavailableApiError,
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('lets a background-role command wait for the reconnect', async () => {
    const connection = await connect('background');
    await redis.kill();
    const waiting = connection.run('ping', (client) => client.ping());
    await redis.restart();
    expect(await waiting).toBe('PONG');
  });

  it('leaves an error Redis replied with as it is: a bug in our command, not an outage', async () => {
    const connection = await connect('request');
    await connection.run('write', (client) => client.set('k', 'not a number'));
    const failure = await connection.run('bump', (client) => client.incr('k')).catch((error) => error);
    expect(failure).toBeInstanceOf(ReplyError);
    expect(failure).not.toBeInstanceOf(RedisUnavailableApiError);
    expect((failure as Error).message).toMatch(/not an integer/);
  });

  it('calls onReady each time the connection comes up again', async () => {
    const connection = await connect('request');
    let readies = 0;
    connection.onReady(() => (readies += 1));
    await redis.kill();
    await redis.restart();
    await connection.whenReady();
    expect(readies).toBe(1);
  });
});
