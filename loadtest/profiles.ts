/**
 * The load profiles every scenario shares: how much traffic, for how long, and what counts as
 * a pass. Rates are requests (iterations) per second and scale with the RATE_SCALE variable,
 * e.g. RATE_SCALE=0.2 on a laptop.
 */
import type { Options, Scenario } from 'k6/options';

export type ProfileName = 'smoke' | 'steady' | 'spike' | 'soak';

/** What one profile runs. `traffic` drives the request mix, `consistency` the write-then-read check. */
export interface Profile {
  traffic: Scenario;
  consistency: Scenario;
  /** p95 and p99 bounds on http_req_duration, in ms. */
  latencyMs: { p95: number; p99: number };
}

const scale = Number(__ENV['RATE_SCALE'] ?? '1');
if (!(scale > 0)) throw new Error(`RATE_SCALE must be a positive number; got ${__ENV['RATE_SCALE']}`);

/** A rate scaled by RATE_SCALE, at least 1. */
const rate = (perSecond: number): number => Math.max(1, Math.round(perSecond * scale));

/** One consistency probe every `seconds`, for `duration`. */
function consistencyEvery(seconds: number, duration: string): Scenario {
  return {
    executor: 'constant-arrival-rate',
    exec: 'consistency',
    rate: 1,
    timeUnit: `${seconds}s`,
    duration,
    preAllocatedVUs: 2,
    maxVUs: 4,
  };
}

export const profiles: Record<ProfileName, Profile> = {
  /** A minute-long sanity run: a trickle of every request kind. */
  smoke: {
    traffic: { executor: 'constant-vus', exec: 'traffic', vus: 2, duration: '30s' },
    consistency: consistencyEvery(3, '30s'),
    latencyMs: { p95: 250, p99: 500 },
  },
  /** Ramp to a steady average load and hold it. */
  steady: {
    traffic: {
      executor: 'ramping-arrival-rate',
      exec: 'traffic',
      startRate: rate(10),
      timeUnit: '1s',
      preAllocatedVUs: 20,
      maxVUs: 200,
      stages: [
        { target: rate(100), duration: '1m' },
        { target: rate(100), duration: '5m' },
        { target: 0, duration: '30s' },
      ],
    },
    consistency: consistencyEvery(2, '6m30s'),
    latencyMs: { p95: 250, p99: 500 },
  },
  /** A sudden burst to four times the steady rate, then back. */
  spike: {
    traffic: {
      executor: 'ramping-arrival-rate',
      exec: 'traffic',
      startRate: rate(20),
      timeUnit: '1s',
      preAllocatedVUs: 50,
      maxVUs: 400,
      stages: [
        { target: rate(20), duration: '1m' },
        { target: rate(400), duration: '10s' },
        { target: rate(400), duration: '1m' },
        { target: rate(20), duration: '10s' },
        { target: rate(20), duration: '1m' },
      ],
    },
    consistency: consistencyEvery(2, '3m20s'),
    latencyMs: { p95: 500, p99: 1000 },
  },
  /** A moderate rate for hours: leaks, TTL churn, reconnects. */
  soak: {
    traffic: {
      executor: 'constant-arrival-rate',
      exec: 'traffic',
      rate: rate(50),
      timeUnit: '1s',
      duration: '2h',
      preAllocatedVUs: 20,
      maxVUs: 100,
    },
    consistency: consistencyEvery(5, '2h'),
    latencyMs: { p95: 250, p99: 500 },
  },
};

/**
 * The k6 system tags every sample keeps. experimental-prometheus-rw turns each tag into a
 * Prometheus label (grafana/k6#3761), so only tags with a few known values stay. Left out:
 * `url` and `name` (both the request's full URL when a request has no `name` tag; every request
 * of the workload sets `name` itself, as a user tag, and keeps it), `error` (free text with
 * addresses; `error_code` says the same in a number), and `ip`, `vu`, `iter`, `ocsp_status`,
 * `subproto` and `service` (off by default or for protocols we do not use).
 */
export const SYSTEM_TAGS = [
  'proto',
  'status',
  'method',
  'group',
  'check',
  'error_code',
  'tls_version',
  'scenario',
  'expected_response',
];

/** How long, after a write's response, every replica may still serve the old value. */
export const CONSISTENCY_BOUND_MS = Number(__ENV['CONSISTENCY_BOUND_MS'] ?? '1000');

/**
 * k6 options for a profile: its scenarios, the thresholds a run must meet and the bounded set of
 * system tags its metrics carry.
 */
export function optionsFor(name: ProfileName): Options {
  const profile = profiles[name];
  return {
    scenarios: { traffic: profile.traffic, consistency: profile.consistency },
    thresholds: {
      http_req_failed: ['rate<0.01'],
      http_req_duration: [`p(95)<${profile.latencyMs.p95}`, `p(99)<${profile.latencyMs.p99}`],
      checks: ['rate>0.99'],
      // Share of writes every replica reflected within CONSISTENCY_BOUND_MS.
      consistency_within_bound: ['rate>0.99'],
      // How long replicas kept serving the old value after a write (last stale read seen).
      consistency_stale_ms: [`p(95)<${CONSISTENCY_BOUND_MS}`],
    },
    systemTags: SYSTEM_TAGS,
    summaryTrendStats: ['avg', 'min', 'med', 'p(95)', 'p(99)', 'max'],
    setupTimeout: '2m',
  };
}
