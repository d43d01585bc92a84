import type { Response } from 'express';

const JSON_TYPE = 'application/json; charset=utf-8';

// Cached values are shared, never-mutated objects, so each is serialised once, not per hit.
const serialised = new WeakMap<object, string>();

/**
 * Sends a cached value as JSON. An L1 hit hands back the same object every time, so its JSON is
 * remembered per object (weakly: it goes when the entry does); the response is then the same
 * pre-serialised write a bare handler makes, without `res.json`'s per-call stringify and
 * content-type negotiation.
 */
export function sendCachedJson(res: Response, value: object): void {
  let body = serialised.get(value);
  if (body === undefined) {
    body = JSON.stringify(value);
    serialised.set(value, body);
  }
  res.setHeader('Content-Type', JSON_TYPE);
  res.send(body);
}
