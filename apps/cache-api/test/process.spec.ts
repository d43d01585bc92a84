import { resolve } from 'node:path';
import { freePort, RedisServer, ServiceProcess, waitFor } from '@clustache/testing';

const MAIN = resolve(__dirname, '../src/main.ts');

/** The process as `npm run start:api` runs it: configuration from the environment, and SIGTERM. */
describe('the cache-api process', () => {
  describe('refuses to start on a bad configuration value, naming it', () => {
    // Every variable's rules are unit-tested in src/config.spec.ts; these show the process's side.
    const cases: [string, string, RegExp][] = [
      ['PORT', 'eighty', /PORT must be an integer from 0 to 65535; got "eighty"/],
      ['REDIS_URL', 'http://127.0.0.1:6379', /REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/],
    ];
    it.each(cases)('%s=%s', async (name, value, message) => {
      const api = ServiceProcess.start(MAIN, { [name]: value });
      try {
        expect(await api.exited).toEqual({ code: 1, signal: null });
        expect(api.stderr).toMatch(message);
        expect(api.stderr).toMatch(/^cache-api: invalid configuration: /);
      } finally {
        await api.kill();
      }
    });
  });

  describe('on SIGTERM', () => {
    let redis: RedisServer;
    let api: ServiceProcess;
    let url: string;

    beforeAll(async () => {
      redis = await RedisServer.start();
      const port = await freePort();
      url = `http://127.0.0.1:${port}`;
      api = ServiceProcess.start(MAIN, {
        PORT: String(port),
        REDIS_URL: redis.url,
        INSTANCE_ID: 'proc-1',
        SOURCE_LATENCY_MS: '2000',
      });
      await waitFor(async () => (await fetch(`${url}/ready`)).status === 200, {
        timeoutMs: 20_000,
        description: 'the process to be ready',
      });
    });
    afterAll(async () => {
      await api.kill();
      await redis.kill();
    });

    it('stops accepting, finishes the request in flight, closes Redis and exits 0', async () => {
      expect(api.stdout).toContain('"message":"listening"');
      const inFlight = fetch(`${url}/data/slow`).then(async (response) => ({
        status: response.status,
        body: await response.json(),
      }));
      const client = redis.client();
      // The backend writes the creation date as the request starts, then takes 2 s to answer.
      await waitFor(async () => (await client.exists('source:data:slow')) === 1, {
        description: 'the request to reach the backend',
      });
      const clientsBefore = Number(/connected_clients:(\d+)/.exec(await client.info('clients'))![1]);
      expect(clientsBefore).toBeGreaterThanOrEqual(4);

      api.child.kill('SIGTERM');
      await waitFor(
        () =>
          fetch(`${url}/health`).then(
            () => false,
            () => true,
          ),
        { timeoutMs: 1500, description: 'new connections to be refused while the slow request is in flight' },
      );
      const reply = await inFlight;
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({ guid: expect.any(String), date_created: expect.any(String) });
      expect(await api.exited).toEqual({ code: 0, signal: null });
      expect(api.stdout).toContain('"message":"stopped"');
      // Only our probe client is left.
      await waitFor(
        async () => Number(/connected_clients:(\d+)/.exec(await client.info('clients'))![1]) === 1,
        {
          description: 'the process to have closed its Redis connections',
        },
      );
      await client.quit();
    });
  });
});
