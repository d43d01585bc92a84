import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Response } from 'express';

const JSON_TYPE = 'application/json; charset=utf-8';

/** A cached value's response body and validator, computed once per value. */
interface Serialised {
  body: Buffer;
  etag: string | undefined;
}

// Cached values are shared, never-mutated objects: each is serialised once, not on every hit.
const serialised = new WeakMap<object, Serialised>();

/** Sends a cached value as JSON from an Express route, with Express's ETag and conditional GET. */
export function sendCachedJson(res: Response, value: object): void {
  writeCachedJson(res.req, res, value, res.app.get('etag fn'), () => res.req.fresh);
}

/**
 * Writes a cached value as JSON. An L1 hit hands back the same object every time, so its bytes and
 * its ETag (from `etagOf`, the app's `etag fn`, so validators are the ones `res.send` would make)
 * are kept per object, weakly: they go when the entry does. Each hit is then a plain write of
 * pre-serialised bytes, with what `res.send` adds on top kept: a 304 when `isFresh` (asked once
 * the ETag is set) says the client's copy is current, and no body for HEAD.
 */
export function writeCachedJson(
  req: IncomingMessage,
  res: ServerResponse,
  value: object,
  etagOf: unknown,
  isFresh: () => boolean,
): void {
  let entry = serialised.get(value);
  if (entry === undefined) {
    const body = Buffer.from(JSON.stringify(value));
    entry = {
      body,
      etag: typeof etagOf === 'function' ? (etagOf as (body: Buffer) => string)(body) : undefined,
    };
    serialised.set(value, entry);
  }
  if (entry.etag !== undefined) res.setHeader('ETag', entry.etag);
  if (isFresh()) {
    res.statusCode = 304;
    res.end();
    return;
  }
  res.setHeader('Content-Type', JSON_TYPE);
  res.setHeader('Content-Length', entry.body.length);
  if (req.method === 'HEAD') res.end();
  else res.end(entry.body);
}
