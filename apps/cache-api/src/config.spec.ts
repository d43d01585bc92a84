import { hostname } from 'node:os';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      redisUrl: 'redis://127.0.0.1:6379',
      instanceId: hostname(),
      sourceLatencyMs: 50,
      cacheTtlSeconds: 300,
      adminToken: undefined,
      sessionTtlSeconds: 1800,
    });
  });

  it('reads every variable', () => {
    expect(
      loadConfig({
        PORT: '3001',
        REDIS_URL: 'rediss://user:p%40ss@redis.example:6380/2',
        INSTANCE_ID: 'api-1',
        SOURCE_LATENCY_MS: '0',
        CACHE_TTL_SECONDS: '60',
        ADMIN_TOKEN: 'a-long-token',
        SESSION_TTL_SECONDS: '120',
      }),
    ).toEqual({
      port: 3001,
      redisUrl: 'rediss://user:p%40ss@redis.example:6380/2',
      instanceId: 'api-1',
      sourceLatencyMs: 0,
      cacheTtlSeconds: 60,
      adminToken: 'a-long-token',
      sessionTtlSeconds: 120,
    });
  });

  it('puts REDIS_PASSWORD (from a Kubernetes Secret) into the Redis URL, encoded', () => {
    expect(loadConfig({ REDIS_URL: 'redis://valkey:6379', REDIS_PASSWORD: 'p@ss:w/rd' }).redisUrl).toBe(
      'redis://:p%40ss%3Aw%2Frd@valkey:6379',
    );
    expect(loadConfig({ REDIS_URL: 'rediss://app:old@valkey:6380/1', REDIS_PASSWORD: 'new' }).redisUrl).toBe(
      'rediss://app:new@valkey:6380/1',
    );
    expect(loadConfig({ REDIS_PASSWORD: '' }).redisUrl).toBe('redis://127.0.0.1:6379');
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', ADMIN_TOKEN: '  ' })).toMatchObject({ port: 3000, adminToken: undefined });
  });

  it.each([
    ['PORT', 'eighty', /^PORT must be an integer from 0 to 65535; got "eighty"$/],
    ['PORT', '70000', /^PORT must be an integer/],
    ['PORT', '-1', /^PORT must be an integer/],
    ['PORT', '0x50', /^PORT must be an integer/],
    ['REDIS_URL', 'http://127.0.0.1:6379', /^REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/],
    ['REDIS_URL', 'not a url', /^REDIS_URL must be/],
    ['REDIS_URL', 'redis://127.0.0.1:6379/db', /^REDIS_URL must be/],
    ['REDIS_URL', 'redis://127.0.0.1:6379?family=6', /^REDIS_URL must be/],
    ['INSTANCE_ID', 'has spaces', /^INSTANCE_ID must be 1-64 letters/],
    ['INSTANCE_ID', 'x'.repeat(65), /^INSTANCE_ID must be 1-64 letters/],
    ['SOURCE_LATENCY_MS', '-5', /^SOURCE_LATENCY_MS must be an integer from 0 to 60000/],
    ['SOURCE_LATENCY_MS', '60001', /^SOURCE_LATENCY_MS must be/],
    ['CACHE_TTL_SECONDS', '0', /^CACHE_TTL_SECONDS must be an integer from 1/],
    ['CACHE_TTL_SECONDS', '1.5', /^CACHE_TTL_SECONDS must be an integer/],
    ['SESSION_TTL_SECONDS', '0', /^SESSION_TTL_SECONDS must be an integer from 1/],
    ['ADMIN_TOKEN', 'short', /^ADMIN_TOKEN must be at least 8 characters/],
    ['ADMIN_TOKEN', 'has a space', /^ADMIN_TOKEN must be at least 8 characters without spaces/],
  ])('rejects %s=%j', (name, value, message) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('E_CONFIG');
    expect((error as Error).message).toMatch(message);
  });
});
