import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AuthError } from '../errors';

/**
 * Guards the admin endpoints with `Authorization: Bearer <ADMIN_TOKEN>` when a token is
 * configured (401 without credentials, 403 with wrong ones); open when none is. Tokens are
 * compared as SHA-256 digests in constant time, so timing reveals neither content nor length.
 */
export function adminAuth(token: string | undefined): RequestHandler {
  if (token === undefined) return (_req, _res, next) => next();
  const expected = digest(token);
  return (req, _res, next) => {
    const match = /^Bearer ([^\s]+)$/i.exec(req.get('authorization') ?? '');
    if (match === null)
      throw new AuthError(401, 'this endpoint requires "Authorization: Bearer <ADMIN_TOKEN>"');
    if (!timingSafeEqual(digest(match[1]!), expected)) throw new AuthError(403, 'the admin token is wrong');
    next();
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
