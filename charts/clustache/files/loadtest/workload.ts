/**
 * What every profile runs against Clustache: the one traffic mix (TRAFFIC_MIX, which the
 * platform's load sends too), a read-heavy mix over zipf-distributed keys on /data and /items
 * with writes and invalidations (`traffic`), and a write-then-read probe that measures how soon
 * every replica serves a new value (`consistency`). The profile files (smoke.ts, steady.ts,
 * spike.ts, soak.ts) re-export these with their options.
 */
import { check, fail, sleep } from 'k6';
import exec from 'k6/execution';
import http, { type RefinedResponse, type ResponseType } from 'k6/http';
import { Counter, Rate, Trend } from 'k6/metrics';
// k6 resolves no package names, so the library's files are imported by their path; the chart
// mounts them where this path leads from its scripts (templates/loadtest/job.yaml).
/* eslint-disable @nx/enforce-module-boundaries -- by path, as said above */
import { pickRequestKind } from '../libs/traffic-mix/src/traffic-mix.ts';
import { ZipfKeys } from '../libs/traffic-mix/src/zipf-keys.ts';
/* eslint-enable @nx/enforce-module-boundaries */
import { CONSISTENCY_BOUND_MS } from './profiles.ts';

/** The API, e.g. http://clustache-api.clustache.svc (in the cluster) or http://localhost:8080. */
const BASE_URL = (__ENV['BASE_URL'] ?? 'http://localhost:3000').replace(/\/+$/, '');
/** Bearer token for /cache/invalidate; empty when the API runs without ADMIN_TOKEN. */
const ADMIN_TOKEN = __ENV['ADMIN_TOKEN'] ?? '';
/** Items the mix reads and writes (created by setup) and /data ids it reads. */
const ITEM_COUNT = Number(__ENV['ITEM_COUNT'] ?? '500');
const DATA_COUNT = Number(__ENV['DATA_COUNT'] ?? '10000');

const itemKeys = new ZipfKeys(ITEM_COUNT, 1.1);
const dataKeys = new ZipfKeys(DATA_COUNT, 1.1);
const itemId = (n: number): string => `k6-item-${n}`;

const JSON_HEADERS = { 'Content-Type': 'application/json' };
const ADMIN_HEADERS = ADMIN_TOKEN
  ? { ...JSON_HEADERS, Authorization: `Bearer ${ADMIN_TOKEN}` }
  : JSON_HEADERS;

const consistencyWithinBound = new Rate('consistency_within_bound');
const consistencyStaleMs = new Trend('consistency_stale_ms', true);
const cacheHits = new Counter('clustache_cache_hits');
const cacheMisses = new Counter('clustache_cache_misses');

/** Fails the run at once when the API is not ready, and creates the items the mix uses. */
export function setup(): void {
  const deadline = Date.now() + 60_000;
  let ready = http.get(`${BASE_URL}/ready`, { tags: { name: 'GET /ready' } });
  while (ready.status !== 200 && Date.now() < deadline) {
    sleep(2);
    ready = http.get(`${BASE_URL}/ready`, { tags: { name: 'GET /ready' } });
  }
  if (ready.status !== 200) {
    exec.test.abort(
      `${BASE_URL}/ready answered ${ready.status || ready.error}; is the API running and BASE_URL right?`,
    );
  }
  for (let first = 0; first < ITEM_COUNT; first += 50) {
    const requests = [];
    for (let n = first; n < Math.min(first + 50, ITEM_COUNT); n++) {
      const body = JSON.stringify({
        id: itemId(n),
        name: `item ${n}`,
        price: 1 + (n % 100),
        category: 'k6',
        stock: 100,
      });
      requests.push({
        method: 'POST',
        url: `${BASE_URL}/items`,
        body,
        params: { headers: JSON_HEADERS, tags: { name: 'POST /items' } },
      });
    }
    for (const res of http.batch(requests)) {
      // 409: the item exists from an earlier run, which is as good.
      if (res.status !== 201 && res.status !== 409)
        fail(`creating items failed: ${res.status} ${res.body as string}`);
    }
  }
}

/** One request of the traffic mix, of a kind drawn with its share in TRAFFIC_MIX. */
export function traffic(): void {
  switch (pickRequestKind(Math.random())) {
    case 'readItem':
      read(
        http.get(`${BASE_URL}/items/${itemId(itemKeys.next())}`, { tags: { name: 'GET /items/:id' } }),
        'GET /items/:id',
      );
      return;
    case 'readData':
      read(
        http.get(`${BASE_URL}/data/d${dataKeys.next()}`, { tags: { name: 'GET /data/:id' } }),
        'GET /data/:id',
      );
      return;
    case 'batch': {
      const ids = itemKeys.distinct(10).map(itemId);
      const res = http.post(`${BASE_URL}/items/batch`, JSON.stringify({ ids }), {
        headers: JSON_HEADERS,
        tags: { name: 'POST /items/batch' },
      });
      check(res, {
        'POST /items/batch is 200': (r) => r.status === 200,
        'POST /items/batch returns every item': (r) =>
          r.status === 200 && (r.json('items') as unknown[]).length === ids.length,
      });
      return;
    }
    case 'writeItem': {
      const body = JSON.stringify({ price: Math.round(Math.random() * 10_000) / 100 });
      const res = http.put(`${BASE_URL}/items/${itemId(itemKeys.next())}`, body, {
        headers: JSON_HEADERS,
        tags: { name: 'PUT /items/:id' },
      });
      check(res, { 'PUT /items/:id is 200': (r) => r.status === 200 });
      return;
    }
    case 'invalidateKey':
      invalidate({ key: `item:${itemId(itemKeys.next())}` });
      return;
    case 'readMissing': {
      // A 404 is this request's success: it counts as an expected response, not a failure.
      const res = http.get(`${BASE_URL}/items/k6-missing-${itemKeys.next()}`, {
        tags: { name: 'GET /items/:id' },
        responseCallback: http.expectedStatuses(404),
      });
      check(res, { 'GET /items/:id of a missing item is 404': (r) => r.status === 404 });
      return;
    }
    case 'invalidatePattern':
      invalidate({ pattern: `data:d${Math.floor(Math.random() * 10)}*` });
      return;
  }
}

function invalidate(body: { key: string } | { pattern: string }): void {
  const res = http.post(`${BASE_URL}/cache/invalidate`, JSON.stringify(body), {
    headers: ADMIN_HEADERS,
    tags: { name: 'POST /cache/invalidate' },
  });
  check(res, { 'POST /cache/invalidate is 200': (r) => r.status === 200 });
}

function read(res: RefinedResponse<ResponseType | undefined>, name: string): void {
  const status = res.headers['X-Cache-Status'];
  if (status === 'HIT') cacheHits.add(1, { name });
  else if (status === 'MISS') cacheMisses.add(1, { name });
  check(res, {
    [`${name} is 200`]: (r) => r.status === 200,
    [`${name} says HIT or MISS`]: () => status === 'HIT' || status === 'MISS',
  });
}

/**
 * Writes a new value, then reads it back through the Service (so from any replica) until the
 * bound has passed. A read that still returns the old value after CONSISTENCY_BOUND_MS fails
 * the probe; the age of the last stale read is how long the replicas took to converge.
 */
export function consistency(): void {
  const id = `k6-consistency-${exec.vu.idInTest}`;
  const marker = `v${exec.vu.idInTest}-${exec.scenario.iterationInTest}-${Date.now()}`;
  let written = http.put(`${BASE_URL}/items/${id}`, JSON.stringify({ name: marker }), {
    headers: JSON_HEADERS,
    tags: { name: 'PUT /items/:id (consistency)' },
  });
  if (written.status === 404) {
    const body = JSON.stringify({ id, name: marker, price: 1 });
    written = http.post(`${BASE_URL}/items`, body, {
      headers: JSON_HEADERS,
      tags: { name: 'POST /items (consistency)' },
    });
  }
  if (!check(written, { 'consistency write succeeded': (r) => r.status === 200 || r.status === 201 })) return;

  const writtenAt = Date.now();
  let lastStaleMs = 0;
  let staleAfterBound = false;
  const replicas = new Set<string>();
  while (Date.now() - writtenAt <= CONSISTENCY_BOUND_MS + 250) {
    const res = http.get(`${BASE_URL}/items/${id}`, { tags: { name: 'GET /items/:id (consistency)' } });
    const age = Date.now() - writtenAt;
    if (res.status !== 200 || res.json('name') !== marker) {
      lastStaleMs = age;
      if (age > CONSISTENCY_BOUND_MS) staleAfterBound = true;
    } else {
      replicas.add(res.headers['X-Instance-Id'] ?? 'unknown');
    }
    sleep(0.05);
  }
  consistencyWithinBound.add(!staleAfterBound);
  consistencyStaleMs.add(lastStaleMs);
  check(replicas, { 'consistency reads reached a replica with the new value': (r) => r.size > 0 });
}
