import express from 'express';
import { errorHandler, HttpError, notFound, serve, type Logger, type RunningServer } from '../src';

class TeapotError extends Error {}

/** The one error handler, on a real Express app and HTTP server. */
describe('errorHandler', () => {
  let server: RunningServer;
  const logged: [string, Record<string, unknown> | undefined][] = [];
  const logger: Logger = {
    debug() {},
    info() {},
    warn() {},
    error: (message, context) => logged.push([message, context]),
  };

  beforeAll(async () => {
    const app = express();
    app.post('/json', express.json(), (_req, res) => void res.json({}));
    app.get('/refused', () => {
      throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'use POST', { headers: { Allow: 'POST' } });
    });
    app.get('/translated', () => {
      throw new TeapotError('short and stout');
    });
    app.get('/bug', () => {
      throw new Error('secret detail');
    });
    app.use(notFound);
    app.use(
      errorHandler(logger, (error) =>
        error instanceof TeapotError ? new HttpError(418, 'TEAPOT', error.message) : undefined,
      ),
    );
    server = await serve(app, 0);
  });

  afterAll(() => server.shutdown());

  const answer = async (path: string, init?: RequestInit) => {
    const response = await fetch(`${server.url}${path}`, init);
    return {
      status: response.status,
      allow: response.headers.get('allow'),
      body: (await response.json()) as { error: { code: string; message: string } },
    };
  };

  it('answers an HttpError with its status, code, message and headers', async () => {
    expect(await answer('/refused')).toEqual({
      status: 405,
      allow: 'POST',
      body: { error: { code: 'METHOD_NOT_ALLOWED', message: 'use POST' } },
    });
  });

  it('answers what the translator knows as it says', async () => {
    expect((await answer('/translated')).body).toEqual({
      error: { code: 'TEAPOT', message: 'short and stout' },
    });
  });

  it("answers the body parser's client errors with their 4xx", async () => {
    const bad = await answer('/json', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'INVALID_JSON']);
  });

  it('answers 404 NOT_FOUND for paths no route matched', async () => {
    expect(await answer('/nowhere')).toEqual({
      status: 404,
      allow: null,
      body: { error: { code: 'NOT_FOUND', message: 'no route for GET /nowhere' } },
    });
  });

  it('answers anything else with 500 INTERNAL, withholds its message, and logs it with its stack', async () => {
    logged.length = 0;
    expect(await answer('/bug')).toEqual({
      status: 500,
      allow: null,
      body: { error: { code: 'INTERNAL', message: 'internal error' } },
    });
    expect(logged).toEqual([
      ['request failed', expect.objectContaining({ method: 'GET', path: '/bug', stack: expect.any(String) })],
    ]);
  });
});
