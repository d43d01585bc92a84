import { pickRequestKind, type ZipfKeys } from '@clustache/traffic-mix';

/** One HTTP request of the steady load. `name` is the route template, as k6's `name` tag. */
export interface PlannedRequest {
  name: string;
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  body?: unknown;
  /** Sent with the admin token. */
  admin?: boolean;
  /** Statuses that count as success (k6's `expected_response`). */
  expected: number[];
}

function createItem(id: string): PlannedRequest {
  const n = Number(id);
  return {
    name: '/items',
    method: 'POST',
    path: '/items',
    body: { id, name: `item ${id}`, price: 1 + (n % 100), category: `category-${n % 10}`, stock: 100 },
    expected: [201, 409],
  };
}

/**
 * What the platform's users do, in the seed's use cases and in the shares of the one traffic
 * mix that the k6 scripts send too (`TRAFFIC_MIX` of @clustache/traffic-mix): mostly reads of
 * popular items and data records (zipf keys), some batch reads, price updates that write
 * through to every replica, manual invalidations by key and, rarely, by pattern, and a few
 * reads of items that do not exist (404s, as real clients make). Items are numbered from 1.
 */
export class TrafficMix {
  constructor(
    private readonly keys: ZipfKeys,
    private readonly random: () => number = Math.random,
  ) {}

  /** The requests that create every item once, so reads find them. */
  seedRequests(): PlannedRequest[] {
    return Array.from({ length: this.keys.count }, (_, i) => createItem(String(i + 1)));
  }

  /**
   * The request that recreates an item a request found missing, or undefined. Items live in
   * Redis, the source of record; a Redis restart without persistence loses them, and the load
   * puts back each one it misses, as a person would re-enter lost data.
   */
  repair(planned: PlannedRequest, status: number): PlannedRequest | undefined {
    const id = /^\/items\/(\d+)$/.exec(planned.path)?.[1];
    return status === 404 && id !== undefined ? createItem(id) : undefined;
  }

  next(): PlannedRequest {
    const kind = pickRequestKind(this.random());
    const id = this.itemId();
    switch (kind) {
      case 'readItem':
        return { name: '/items/:id', method: 'GET', path: `/items/${id}`, expected: [200] };
      case 'readData':
        return { name: '/data/:id', method: 'GET', path: `/data/${id}`, expected: [200] };
      case 'batch': {
        const ids = [...new Set(Array.from({ length: 8 }, () => this.itemId()))];
        return { name: '/items/batch', method: 'POST', path: '/items/batch', body: { ids }, expected: [200] };
      }
      case 'writeItem': {
        const price = Math.round(this.random() * 10_000) / 100;
        return { name: '/items/:id', method: 'PUT', path: `/items/${id}`, body: { price }, expected: [200] };
      }
      case 'invalidateKey':
        return {
          name: '/cache/invalidate',
          method: 'POST',
          path: '/cache/invalidate',
          body: { key: `item:${id}` },
          admin: true,
          expected: [200],
        };
      case 'readMissing':
        return { name: '/items/:id', method: 'GET', path: `/items/missing-${id}`, expected: [404] };
      case 'invalidatePattern':
        return {
          name: '/cache/invalidate',
          method: 'POST',
          path: '/cache/invalidate',
          body: { pattern: `data:${id}*` },
          admin: true,
          expected: [200],
        };
    }
  }

  /** A zipf-popular item id, "1" the hottest. */
  private itemId(): string {
    return String(this.keys.next() + 1);
  }
}
