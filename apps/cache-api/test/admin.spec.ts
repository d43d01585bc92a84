import { ApiCluster } from './support/api-cluster';
import { get, post } from './support/http';

const TOKEN = 'admin-secret-1';

/** `ADMIN_TOKEN` guards `/cache/invalidate` and `/stats/reset`, and nothing else. */
describe('admin endpoints with ADMIN_TOKEN', () => {
  let cluster: ApiCluster;
  let url: string;

  beforeAll(async () => {
    cluster = await ApiCluster.start(1, { adminToken: TOKEN });
    url = cluster.url(0);
  });
  afterAll(() => cluster.stop());

  const cases: [string, number, Record<string, string>, string | undefined][] = [
    ['no credentials', 401, {}, 'UNAUTHORIZED'],
    ['another scheme', 401, { authorization: `Basic ${TOKEN}` }, 'UNAUTHORIZED'],
    ['an empty bearer', 401, { authorization: 'Bearer ' }, 'UNAUTHORIZED'],
    ['a wrong token', 403, { authorization: 'Bearer admin-secret-2' }, 'FORBIDDEN'],
    ['a prefix of the token', 403, { authorization: 'Bearer admin-secret' }, 'FORBIDDEN'],
    ['the token', 200, { authorization: `Bearer ${TOKEN}` }, undefined],
    ['the token, scheme in lower case', 200, { authorization: `bearer ${TOKEN}` }, undefined],
  ];

  it.each(cases)('POST /cache/invalidate with %s → %i', async (_name, status, headers, code) => {
    const reply = await post(`${url}/cache/invalidate`, { key: 'item:1' }, headers);
    expect(reply.status).toBe(status);
    if (code) expect(reply.body.error.code).toBe(code);
  });

  it.each(cases)('POST /stats/reset with %s → %i', async (_name, status, headers, code) => {
    const reply = await post(`${url}/stats/reset`, undefined, headers);
    expect(reply.status).toBe(status);
    if (code) expect(reply.body.error.code).toBe(code);
  });

  it('checks credentials before reading the body', async () => {
    const reply = await post(`${url}/cache/invalidate`, '{"key": ', { 'content-type': 'application/json' });
    expect(reply.status).toBe(401);
  });

  it('leaves reads, writes and GET /stats open', async () => {
    expect((await get(`${url}/stats`)).status).toBe(200);
    expect((await post(`${url}/items`, { id: 'open', name: 'x', price: 1 })).status).toBe(201);
    expect((await get(`${url}/items/open`)).status).toBe(200);
    expect((await post(`${url}/sessions`, { userId: 'u' })).status).toBe(201);
  });
});

describe('admin endpoints without ADMIN_TOKEN', () => {
  let cluster: ApiCluster;

  beforeAll(async () => {
    cluster = await ApiCluster.start(1);
  });
  afterAll(() => cluster.stop());

  it('are open', async () => {
    expect((await post(`${cluster.url(0)}/cache/invalidate`, { pattern: 'data:*' })).status).toBe(200);
    expect((await post(`${cluster.url(0)}/stats/reset`)).status).toBe(200);
  });
});
