import { join } from 'node:path';
import { freePort, waitFor } from '@clustache/testing';
import { prometheusSpec } from '../src/components/prometheus';
import { encodeWriteRequest, pushSeries, snappyLiteralBlock } from '../src/load/remote-write';
import { K6Metrics } from '../src/load/k6-metrics';
import { ManagedProcess } from '../src/managed-process';
import { PrometheusApi } from '../src/prometheus-api';
import { quietSupervision, workDir } from './support/work-dir';

describe('remote write into a real Prometheus', () => {
  let dir: Awaited<ReturnType<typeof workDir>>;
  let prometheus: ManagedProcess;
  let api: PrometheusApi;
  let writeUrl: string;

  beforeAll(async () => {
    dir = await workDir();
    const port = await freePort();
    const config = { global: { scrape_interval: '15s' }, scrape_configs: [] };
    prometheus = new ManagedProcess(
      await prometheusSpec('prometheus', config, port, join(dir.path)),
      quietSupervision,
    );
    await prometheus.start();
    api = new PrometheusApi(`http://127.0.0.1:${port}`);
    writeUrl = `http://127.0.0.1:${port}/api/v1/write`;
  });

  afterAll(async () => {
    await prometheus.stop();
    await dir.remove();
  });

  it('stores the series a push sends, labels and values intact', async () => {
    const now = Date.now();
    await pushSeries(writeUrl, [
      {
        labels: { __name__: 'rw_test_total', status: '200', name: '/items/:id' },
        value: 42,
        timestampMs: now,
      },
      { labels: { __name__: 'rw_test_seconds', quantile: 'p99' }, value: 0.0125, timestampMs: now },
    ]);
    await waitFor(async () => (await api.query('rw_test_total')).length === 1, {
      timeoutMs: 15_000,
      description: 'the pushed series',
    });
    const [counter] = await api.query('rw_test_total');
    expect(counter!.metric).toEqual({ __name__: 'rw_test_total', status: '200', name: '/items/:id' });
    expect(Number(counter!.value[1])).toBe(42);
    expect(await api.scalar('rw_test_seconds')).toBe(0.0125);
  });

  it('handles a request larger than one snappy literal chunk (64 KiB)', async () => {
    const now = Date.now();
    const series = Array.from({ length: 1500 }, (_, i) => ({
      labels: { __name__: 'rw_bulk', index: String(i), padding: 'x'.repeat(40) },
      value: i,
      timestampMs: now,
    }));
    expect(encodeWriteRequest(series).length).toBeGreaterThan(65_536);
    await pushSeries(writeUrl, series);
    await waitFor(async () => (await api.scalar('count(rw_bulk)')) === 1500, {
      timeoutMs: 15_000,
      description: '1500 series',
    });
    expect(await api.scalar('sum(rw_bulk)')).toBe((1499 * 1500) / 2);
  });

  it("rejects nothing k6-shaped: the load generator's metrics land under k6's names", async () => {
    const metrics = new K6Metrics({ scenario: 'steady', testid: 'spec' });
    for (let i = 1; i <= 100; i++)
      metrics.record({ method: 'GET', name: '/items/:id', status: 200, expected: true, durationMs: i });
    metrics.record({ method: 'GET', name: '/items/:id', status: 0, expected: false, durationMs: 5 });
    metrics.setVus(7);
    await pushSeries(writeUrl, metrics.flush(Date.now()));
    await waitFor(async () => (await api.query('k6_vus{testid="spec"}')).length === 1, {
      timeoutMs: 15_000,
      description: 'k6 series',
    });
    expect(await api.scalar('sum(k6_http_reqs_total{testid="spec"})')).toBe(101);
    expect(await api.scalar('k6_http_req_duration_p99{testid="spec", status="200"}')).toBe(0.099);
    expect(await api.scalar('k6_http_req_failed_rate{testid="spec"}')).toBeCloseTo(1 / 101);
    expect(await api.scalar('k6_vus{testid="spec"}')).toBe(7);
  });

  it('encodes snappy literals with the right length tags', () => {
    expect([...snappyLiteralBlock(Uint8Array.from([1, 2, 3]))]).toEqual([3, 2 << 2, 1, 2, 3]);
    const large = snappyLiteralBlock(new Uint8Array(200));
    expect([...large.subarray(0, 4)]).toEqual([200, 1, 60 << 2, 199]);
  });
});
