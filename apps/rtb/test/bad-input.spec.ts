import { RedisServer } from '@clustache/testing';
import { startInProcess, testConfig, type InProcessRtb } from './support/rtb-harness';
import { userTag } from './support/tags';

const RANGE = '2022-03-01T00:00:00_2022-03-01T00:05:00';

/** Each client mistake gets its 4xx and a JSON error naming it; nothing is stored, nothing crashes. */
describe('bad input', () => {
  let redis: RedisServer;
  let rtb: InProcessRtb;

  beforeAll(async () => {
    redis = await RedisServer.start();
    rtb = await startInProcess(testConfig(redis.url, { RTB_AGGREGATORS: '0' }));
  });

  afterAll(async () => {
    await rtb?.stop();
    await redis?.kill();
  });

  const json = { 'Content-Type': 'application/json' };
  const tag = userTag('c', Date.UTC(2022, 2, 1));

  it.each([
    ['POST', '/user_tags', json, '{"time":', 400, 'INVALID_JSON'],
    ['POST', '/user_tags', json, '[]', 400, 'INVALID_TAG'],
    ['POST', '/user_tags', json, JSON.stringify({ ...tag, device: 'FRIDGE' }), 400, 'INVALID_TAG'],
    [
      'POST',
      '/user_tags',
      json,
      JSON.stringify({ ...tag, padding: 'x'.repeat(20_000) }),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    ['POST', '/user_tags', {}, JSON.stringify(tag), 400, 'INVALID_TAG'],
    ['POST', '/user_profiles/c?time_range=2022-03-01T00:00:00.000', {}, '', 400, 'INVALID_TIME_RANGE'],
    ['POST', '/user_profiles/c', {}, '', 400, 'INVALID_TIME_RANGE'],
    [
      'POST',
      '/user_profiles/c?time_range=2022-03-01T00:00:00.000_2022-03-01T00:00:01.000&limit=0',
      {},
      '',
      400,
      'INVALID_LIMIT',
    ],
    [
      'POST',
      '/user_profiles/c?time_range=2022-03-01T00:00:00.000_2022-03-01T00:00:01.000&limit=ten',
      {},
      '',
      400,
      'INVALID_LIMIT',
    ],
    [
      'POST',
      `/user_profiles/${'c'.repeat(300)}?time_range=2022-03-01T00:00:00.000_2022-03-01T00:00:01.000`,
      {},
      '',
      400,
      'INVALID_COOKIE',
    ],
    ['POST', `/aggregates?time_range=${RANGE}&action=VIEW`, {}, '', 400, 'INVALID_QUERY'],
    ['POST', `/aggregates?time_range=${RANGE}&action=LOOK&aggregates=COUNT`, {}, '', 400, 'INVALID_QUERY'],
    ['POST', `/aggregates?time_range=${RANGE}&action=VIEW&aggregates=MAX`, {}, '', 400, 'INVALID_QUERY'],
    [
      'POST',
      '/aggregates?time_range=2022-03-01T00:00:00_2022-03-01T00:11:00&action=VIEW&aggregates=COUNT',
      {},
      '',
      400,
      'INVALID_TIME_RANGE',
    ],
    [
      'POST',
      '/aggregates?time_range=2022-03-01T00:00:10_2022-03-01T00:05:00&action=VIEW&aggregates=COUNT',
      {},
      '',
      400,
      'INVALID_TIME_RANGE',
    ],
    ['GET', '/user_tags', {}, undefined, 404, 'NOT_FOUND'],
    ['POST', '/nowhere', {}, '', 404, 'NOT_FOUND'],
  ])('%s %s %#', async (method, path, headers, body, status, code) => {
    const response = await fetch(`${rtb.url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    expect(response.status).toBe(status);
    const answer = (await response.json()) as { error: { code: string; message: string } };
    expect(answer.error.code).toBe(code);
    expect(answer.error.message.length).toBeGreaterThan(5);
  });

  it('stores none of the rejected tags and counts them', async () => {
    const metrics = await (await fetch(`${rtb.url}/metrics`)).text();
    expect(metrics).toMatch(/^rtb_user_tags_accepted_total 0$/m);
    expect(metrics).toMatch(/^rtb_user_tags_rejected_total 5$/m);
    expect(await (await fetch(`${rtb.url}/health`)).json()).toMatchObject({ status: 'ok' });
  });
});
