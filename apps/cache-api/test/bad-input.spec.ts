import { request as rawRequest } from 'node:http';
import { ApiCluster } from './support/api-cluster';
import { get, http } from './support/http';

interface BadInput {
  name: string;
  method: string;
  path: string;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  status: number;
  code: string;
}

const json = { 'content-type': 'application/json' };
const item = { id: 'x', name: 'X', price: 1 };

/** Every client mistake we know of, with the status and code it must get (never a 500). */
const BAD_INPUTS: BadInput[] = [
  {
    name: 'malformed JSON',
    method: 'POST',
    path: '/items',
    body: '{"id": ',
    headers: json,
    status: 400,
    code: 'INVALID_JSON',
  },
  {
    name: 'a JSON string as body',
    method: 'POST',
    path: '/items',
    body: '"item"',
    headers: json,
    status: 400,
    code: 'INVALID_JSON',
  },
  {
    name: 'a JSON array as body',
    method: 'POST',
    path: '/items',
    body: [item],
    status: 400,
    code: 'INVALID_BODY',
  },
  {
    name: 'JSON null as body',
    method: 'POST',
    path: '/sessions',
    body: 'null',
    headers: json,
    status: 400,
    code: 'INVALID_JSON',
  },
  {
    name: 'a missing field',
    method: 'POST',
    path: '/items',
    body: { id: 'x', price: 1 },
    status: 400,
    code: 'MISSING_FIELD',
  },
  {
    name: 'a field of the wrong type',
    method: 'POST',
    path: '/items',
    body: { ...item, price: '1' },
    status: 400,
    code: 'INVALID_FIELD',
  },
  {
    name: 'a null field',
    method: 'POST',
    path: '/items',
    body: { ...item, name: null },
    status: 400,
    code: 'INVALID_FIELD',
  },
  {
    name: 'a negative price',
    method: 'POST',
    path: '/items',
    body: { ...item, price: -1 },
    status: 400,
    code: 'INVALID_FIELD',
  },
  {
    name: 'a price that overflows to Infinity',
    method: 'POST',
    path: '/items',
    body: '{"id":"x","name":"X","price":1e999}',
    headers: json,
    status: 400,
    code: 'INVALID_FIELD',
  },
  {
    name: 'a fractional stock',
    method: 'POST',
    path: '/items',
    body: { ...item, stock: 1.5 },
    status: 400,
    code: 'INVALID_FIELD',
  },
  {
    name: 'an empty name',
    method: 'POST',
    path: '/items',
    body: { ...item, name: '' },
    status: 400,
    code: 'INVALID_FIELD',
  },
  {
    name: 'an unknown field',
    method: 'POST',
    path: '/items',
    body: { ...item, colour: 'red' },
    status: 400,
    code: 'UNKNOWN_FIELD',
  },
  {
    name: 'a __proto__ field',
    method: 'POST',
    path: '/items',
    body: '{"id":"x","name":"X","price":1,"__proto__":{"admin":true}}',
    headers: json,
    status: 400,
    code: 'UNKNOWN_FIELD',
  },
  {
    name: 'a numeric id',
    method: 'POST',
    path: '/items',
    body: { ...item, id: 7 },
    status: 400,
    code: 'INVALID_ID',
  },
  {
    name: 'an id of 129 characters',
    method: 'POST',
    path: '/items',
    body: { ...item, id: 'i'.repeat(129) },
    status: 400,
    code: 'INVALID_ID',
  },
  {
    name: 'an id with a control character',
    method: 'POST',
    path: '/items',
    body: { ...item, id: 'a\u0007b' },
    status: 400,
    code: 'INVALID_ID',
  },
  {
    name: 'an empty id',
    method: 'POST',
    path: '/items',
    body: { ...item, id: '' },
    status: 400,
    code: 'INVALID_ID',
  },
  {
    name: 'a body over 64 kB',
    method: 'POST',
    path: '/items',
    body: { ...item, name: 'n'.repeat(70_000) },
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'a body that is not JSON',
    method: 'POST',
    path: '/items',
    body: 'id=x',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  { name: 'no body at all', method: 'POST', path: '/sessions', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  {
    name: 'an unsupported charset',
    method: 'POST',
    path: '/items',
    body: '{}',
    headers: { 'content-type': 'application/json; charset=ebcdic' },
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'an unsupported content encoding',
    method: 'POST',
    path: '/items',
    body: '{}',
    headers: { ...json, 'content-encoding': 'compress' },
    status: 415,
    code: 'UNSUPPORTED_MEDIA_TYPE',
  },
  {
    name: 'an update with no fields',
    method: 'PUT',
    path: '/items/x',
    body: {},
    status: 400,
    code: 'MISSING_FIELD',
  },
  {
    name: 'an update that changes the id',
    method: 'PUT',
    path: '/items/x',
    body: { id: 'y', name: 'Y' },
    status: 400,
    code: 'INVALID_FIELD',
  },
  {
    name: 'a path id of 129 characters',
    method: 'GET',
    path: `/items/${'i'.repeat(129)}`,
    status: 400,
    code: 'INVALID_ID',
  },
  { name: 'a path id with NUL', method: 'GET', path: '/items/a%00b', status: 400, code: 'INVALID_ID' },
  { name: 'a path id with a newline', method: 'GET', path: '/data/a%0Ab', status: 400, code: 'INVALID_ID' },
  { name: 'a path id with DEL', method: 'DELETE', path: '/items/%7F', status: 400, code: 'INVALID_ID' },
  {
    name: 'a path with broken %-encoding',
    method: 'GET',
    path: '/data/%E0%A4%A',
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a data id of 300 characters',
    method: 'GET',
    path: `/data/${'d'.repeat(300)}`,
    status: 400,
    code: 'INVALID_ID',
  },
  {
    name: 'batch ids that are not an array',
    method: 'POST',
    path: '/items/batch',
    body: { ids: '1,2' },
    status: 400,
    code: 'INVALID_FIELD',
  },
  {
    name: 'an empty batch',
    method: 'POST',
    path: '/items/batch',
    body: { ids: [] },
    status: 400,
    code: 'INVALID_FIELD',
  },
  {
    name: 'a batch of 101 ids',
    method: 'POST',
    path: '/items/batch',
    body: { ids: Array.from({ length: 101 }, (_, i) => String(i)) },
    status: 400,
    code: 'INVALID_FIELD',
  },
  {
    name: 'a batch with a numeric id',
    method: 'POST',
    path: '/items/batch',
    body: { ids: ['1', 2] },
    status: 400,
    code: 'INVALID_ID',
  },
  {
    name: 'invalidate with neither key nor pattern',
    method: 'POST',
    path: '/cache/invalidate',
    body: {},
    status: 400,
    code: 'INVALID_BODY',
  },
  {
    name: 'invalidate with both key and pattern',
    method: 'POST',
    path: '/cache/invalidate',
    body: { key: 'item:1', pattern: 'item:*' },
    status: 400,
    code: 'INVALID_BODY',
  },
  {
    name: 'the pattern *',
    method: 'POST',
    path: '/cache/invalidate',
    body: { pattern: '*' },
    status: 400,
    code: 'INVALID_PATTERN',
  },
  {
    name: 'the pattern **',
    method: 'POST',
    path: '/cache/invalidate',
    body: { pattern: '**' },
    status: 400,
    code: 'INVALID_PATTERN',
  },
  {
    name: 'the pattern ?*',
    method: 'POST',
    path: '/cache/invalidate',
    body: { pattern: '?*' },
    status: 400,
    code: 'INVALID_PATTERN',
  },
  {
    name: 'the pattern [a-z]*',
    method: 'POST',
    path: '/cache/invalidate',
    body: { pattern: '[a-z]*' },
    status: 400,
    code: 'INVALID_PATTERN',
  },
  {
    name: 'the pattern *:1',
    method: 'POST',
    path: '/cache/invalidate',
    body: { pattern: '*:1' },
    status: 400,
    code: 'INVALID_PATTERN',
  },
  {
    name: 'the pattern item* (prefix without its colon)',
    method: 'POST',
    path: '/cache/invalidate',
    body: { pattern: 'item*' },
    status: 400,
    code: 'INVALID_PATTERN',
  },
  {
    name: 'the pattern i?em:*',
    method: 'POST',
    path: '/cache/invalidate',
    body: { pattern: 'i?em:*' },
    status: 400,
    code: 'INVALID_PATTERN',
  },
  {
    name: 'a pattern in an unknown namespace',
    method: 'POST',
    path: '/cache/invalidate',
    body: { pattern: 'user:*' },
    status: 400,
    code: 'INVALID_PATTERN',
  },
  {
    name: 'a pattern without glob characters',
    method: 'POST',
    path: '/cache/invalidate',
    body: { pattern: 'item:1' },
    status: 400,
    code: 'INVALID_PATTERN',
  },
  {
    name: 'a pattern with a control character',
    method: 'POST',
    path: '/cache/invalidate',
    body: { pattern: 'item:\n*' },
    status: 400,
    code: 'INVALID_PATTERN',
  },
  {
    name: 'a key that is only a namespace',
    method: 'POST',
    path: '/cache/invalidate',
    body: { key: 'item:' },
    status: 400,
    code: 'INVALID_KEY',
  },
  {
    name: 'a numeric key',
    method: 'POST',
    path: '/cache/invalidate',
    body: { key: 1 },
    status: 400,
    code: 'INVALID_KEY',
  },
  {
    name: 'a session without userId',
    method: 'POST',
    path: '/sessions',
    body: {},
    status: 400,
    code: 'MISSING_FIELD',
  },
  {
    name: 'a numeric userId',
    method: 'POST',
    path: '/sessions',
    body: { userId: 42 },
    status: 400,
    code: 'INVALID_FIELD',
  },
  {
    name: 'a token with a control character',
    method: 'GET',
    path: '/sessions/a%1Bb',
    status: 400,
    code: 'INVALID_ID',
  },
  { name: 'an unknown route', method: 'GET', path: '/no/such/thing', status: 404, code: 'NOT_FOUND' },
  {
    name: 'an unknown route with a body',
    method: 'POST',
    path: '/data',
    body: { id: 1 },
    status: 404,
    code: 'NOT_FOUND',
  },
  {
    name: 'a wrong method on /data/:id',
    method: 'DELETE',
    path: '/data/x',
    status: 405,
    code: 'METHOD_NOT_ALLOWED',
  },
  {
    name: 'a wrong method on /items/:id',
    method: 'PATCH',
    path: '/items/x',
    body: { name: 'y' },
    status: 405,
    code: 'METHOD_NOT_ALLOWED',
  },
  {
    name: 'a wrong method on /items',
    method: 'GET',
    path: '/items',
    status: 405,
    code: 'METHOD_NOT_ALLOWED',
  },
  {
    name: 'a wrong method on /health',
    method: 'POST',
    path: '/health',
    status: 405,
    code: 'METHOD_NOT_ALLOWED',
  },
  {
    name: 'a wrong method on /stats/reset',
    method: 'GET',
    path: '/stats/reset',
    status: 405,
    code: 'METHOD_NOT_ALLOWED',
  },
];

describe('bad input', () => {
  let cluster: ApiCluster;
  let url: string;

  beforeAll(async () => {
    cluster = await ApiCluster.start(1);
    url = cluster.url(0);
  });
  afterAll(() => cluster.stop());

  it.each(BAD_INPUTS.map((input) => [input.name, input.status, input] as const))(
    '%s → %i',
    async (_name, _status, input) => {
      const reply = await http(url + input.path, {
        method: input.method,
        ...(input.body !== undefined ? { body: input.body } : {}),
        ...(input.headers ? { headers: input.headers } : {}),
      });
      expect({ status: reply.status, code: reply.body?.error?.code }).toEqual({
        status: input.status,
        code: input.code,
      });
      expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
      expect(reply.body).toEqual({ error: { code: input.code, message: expect.any(String) } });
      if (input.status === 405) expect(reply.headers.get('allow')).toBeTruthy();
    },
  );

  it('survives a request line fetch would refuse to send, and a body cut short', async () => {
    const raw = (path: string, body?: string, length?: number) =>
      new Promise<number>((resolve, reject) => {
        const req = rawRequest(`${url}${path}`, {
          method: body === undefined ? 'GET' : 'POST',
          headers:
            body === undefined
              ? {}
              : { ...json, 'content-length': String(length ?? Buffer.byteLength(body)) },
        });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        if (body === undefined) req.end();
        else {
          req.write(body);
          if (length === undefined) req.end();
          else req.destroy();
        }
      }).catch(() => 0);
    expect(await raw('/items/%')).toBe(400);
    await raw('/items', '{"id":"cut', 1000);
    expect((await get(`${url}/health`)).status).toBe(200);
  });

  it('still serves after all of the above', async () => {
    expect((await get(`${url}/health`)).status).toBe(200);
    expect((await get(`${url}/data/ok`)).status).toBe(200);
    expect((await get(`${url}/metrics`)).text).not.toMatch(/status_code="5\d\d"/);
  });
});
