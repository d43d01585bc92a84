/**
 * Answers the stand-in http module the way the cache API answers the workload: items are
 * created once (201, then 409), read (200 or 404), updated (200, or 404 when absent) and read
 * in batches; /data reads and invalidations succeed; a key's first read is a MISS. Only statuses and the fields the workload
 * reads matter here: they decide the `status` label and which branches the scripts take.
 */
import type { Answer, Responder } from './k6-standin/recorder';

type Item = Record<string, unknown> & { id: string };

export function clustacheStandIn(): Responder {
  const items = new Map<string, Item>();
  const read = new Set<string>();
  /** The first read of a key is a MISS, later ones HIT (the API's X-Cache-Status). */
  const cached = (key: string, body: unknown): Answer => {
    const status = read.has(key) ? 'HIT' : 'MISS';
    read.add(key);
    return { status: 200, body, headers: { 'X-Cache-Status': status, 'X-Instance-Id': 'api-0' } };
  };
  return (method, url, body) => {
    const path = new URL(url).pathname;
    const sent = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    const itemId = /^\/items\/([^/]+)$/.exec(path)?.[1];
    if (method === 'GET' && path === '/ready') return { status: 200 };
    if (method === 'GET' && path.startsWith('/data/')) return cached(path, { id: path.slice(6) });
    if (method === 'POST' && path === '/items') {
      const item = sent as Item;
      if (items.has(item.id)) return { status: 409 };
      items.set(item.id, item);
      return { status: 201, body: item };
    }
    if (method === 'POST' && path === '/items/batch') {
      const ids = sent['ids'] as string[];
      return { status: 200, body: { items: ids.filter((id) => items.has(id)).map((id) => items.get(id)) } };
    }
    if (itemId !== undefined && (method === 'GET' || method === 'PUT')) {
      const item = items.get(itemId);
      if (!item) return { status: 404 };
      if (method === 'PUT') Object.assign(item, sent);
      return cached(path, item);
    }
    if (method === 'POST' && path === '/cache/invalidate') return { status: 200, body: { ok: true } };
    return { status: 404 };
  };
}
