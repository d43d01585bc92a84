import type { IRouter } from 'express';
import { sessionKey } from '../cache-keys';
import type { ApiContext } from '../context';
import { NotFoundError } from '../errors';
import { setCacheHeaders } from '../http/cache-headers';
import { sendCachedJson } from '../http/json-response';
import { jsonBody } from '../http/json-body';
import { allowOnly } from '../http/method-guard';
import { expiryOf, type Session } from '../source/session-store';
import { Fields, parseId } from '../validation';

/**
 * Seed 002's login sessions. Redis holds each session with an expiry (the source of record);
 * replicas cache it for no longer than its remaining life. Logout deletes it from Redis, then
 * invalidates it on every replica before answering, so no replica accepts the token afterwards.
 */
export function sessionRoutes(router: IRouter, { cache, sessions, config }: ApiContext): void {
  const cacheTtlMs = config.cacheTtlSeconds * 1000;

  router
    .route('/sessions')
    .post(jsonBody, async (req, res) => {
      const body = Fields.of(req.body);
      const userId = body.string('userId', { max: 128 });
      body.done();
      const session = await sessions.create(userId, config.sessionTtlSeconds);
      res.status(201).location(`/sessions/${session.token}`).json(session);
    })
    .all(allowOnly('POST'));

  router
    .route('/sessions/:token')
    .get(async (req, res) => {
      const token = parseId(req.params['token'], 'token');
      const remainingMs = (expiryOf(token) ?? 0) - Date.now();
      if (remainingMs <= 0) throw notFound();
      const { value, from } = await cache.lookup(sessionKey(token), () => sessions.find(token), {
        ttlMs: Math.min(cacheTtlMs, remainingMs),
      });
      setCacheHeaders(res, from);
      const session = value as Session | undefined;
      if (session === undefined || Date.parse(session.expiresAt) <= Date.now()) throw notFound();
      sendCachedJson(res, session);
    })
    .delete(async (req, res) => {
      const token = parseId(req.params['token'], 'token');
      if (expiryOf(token) === undefined) throw notFound();
      const existed = await sessions.delete(token);
      await cache.delete(sessionKey(token));
      if (!existed) throw notFound();
      res.status(204).end();
    })
    .all(allowOnly('GET', 'DELETE'));
}

function notFound(): NotFoundError {
  return new NotFoundError(
    'SESSION_NOT_FOUND',
    'no such session: it expired, was logged out, or never existed',
  );
}
