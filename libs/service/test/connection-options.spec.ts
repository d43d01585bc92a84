import { connectionOptions, redisOptions } from '../src';

describe('redisOptions', () => {
  it('takes host, port, credentials, database and TLS from the URL, disables CLIENT SETINFO and shortens the disconnect timer', () => {
    expect(redisOptions('rediss://user:p%40ss@redis.example:6380/2')).toEqual({
      host: 'redis.example',
      port: 6380,
      username: 'user',
      password: 'p@ss',
      db: 2,
      tls: {},
      disableClientInfo: true,
      disconnectTimeout: 200,
    });
  });

  it('defaults the port and leaves out what the URL does not say', () => {
    expect(redisOptions('redis://[::1]')).toEqual({
      host: '::1',
      port: 6379,
      disableClientInfo: true,
      disconnectTimeout: 200,
    });
  });
});

describe('connectionOptions', () => {
  it('fails fast in the request role', () => {
    expect(connectionOptions('redis://127.0.0.1:6379', 'request')).toMatchObject({
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: 2000,
      connectTimeout: 2000,
      disableClientInfo: true,
    });
  });

  it('waits for the reconnect in the background role', () => {
    const options = connectionOptions('redis://127.0.0.1:6379', 'background');
    expect(options.maxRetriesPerRequest).toBeNull();
    expect(options.enableOfflineQueue).toBeUndefined();
  });

  it('reconnects with a backoff from 50 ms doubling up to 2 s', () => {
    const { retryStrategy } = connectionOptions('redis://127.0.0.1:6379', 'request');
    expect([1, 2, 5, 6, 20].map((attempt) => retryStrategy!(attempt))).toEqual([100, 200, 1600, 2000, 2000]);
  });
});
