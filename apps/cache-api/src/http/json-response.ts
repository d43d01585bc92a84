import type { Response } from 'express';

const JSON_TYPE = 'application/json; charset=utf-8';

/** A cached value's response body and validator, computed once per value. */
interface Serialised {
  body: Buffer;
  etag: string | undefined;
}

// Cached values are shared, never-mutated objects: each is serialised once, not on every hit.
const serialised = new WeakMap<object, Serialised>();

/**
 * Sends a cached value as JSON. An L1 hit hands back the same object every time, so its bytes and
 * its ETag (Express's own `etag fn`, so validators are the ones `res.send` would make) are kept
 * per object, weakly: they go when the entry does. Each hit is then a plain write of
 * pre-serialised bytes, with what `res.send` adds on top (conditional GET → 304, HEAD) kept.
 */
export function sendCachedJson(res: Response, value: object): void {
  let entry = serialised.get(value);
  if (entry === undefined) {
    const body = Buffer.from(JSON.stringify(value));
    const etagOf: unknown = res.app.get('etag fn');
    entry = {
      body,
      etag: typeof etagOf === 'function' ? (etagOf as (body: Buffer) => string)(body) : undefined,
    };
    serialised.set(value, entry);
  }
  if (entry.etag !== undefined) res.setHeader('ETag', entry.etag);
  if (res.req.fresh) {
    res.statusCode = 304;
    res.end();
    return;
  }
  res.setHeader('Content-Type', JSON_TYPE);
  res.setHeader('Content-Length', entry.body.length);
  if (res.req.method === 'HEAD') res.end();
  else res.end(entry.body);
}
