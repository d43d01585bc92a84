import { parseOptions } from '../src/options';

describe('parseOptions', () => {
  it('has the defaults the issue names', () => {
    expect(parseOptions([], {})).toMatchObject({
      replicas: 3,
      lbPort: 8080,
      prometheusPort: 9090,
      alertmanagerPort: 9093,
      redisUrl: undefined,
      build: true,
    });
  });

  it('reads environment variables, and flags win over them', () => {
    const env = { REPLICAS: '5', LB_PORT: '18080', REDIS_URL: 'redis://127.0.0.1:7000', ALERT_FOR: '5s' };
    expect(parseOptions([], env)).toMatchObject({
      replicas: 5,
      lbPort: 18080,
      redisUrl: 'redis://127.0.0.1:7000',
      alertFor: '5s',
    });
    expect(parseOptions(['--replicas', '2', '--no-build'], env)).toMatchObject({
      replicas: 2,
      lbPort: 18080,
      build: false,
    });
  });

  it('rejects bad values naming the flag and the variable', () => {
    expect(() => parseOptions(['--replicas', '0'], {})).toThrow(
      '--replicas (REPLICAS) must be an integer from 1 to 32; got "0"',
    );
    expect(() => parseOptions([], { PROMETHEUS_PORT: 'http' })).toThrow(
      '--prometheus-port (PROMETHEUS_PORT)',
    );
    expect(() => parseOptions(['--alert-for', '5 minutes'], {})).toThrow('--alert-for (ALERT_FOR)');
    expect(() => parseOptions(['--redis-url', 'localhost:6379'], {})).toThrow('must be a redis:// URL');
    expect(() => parseOptions(['--replica', '2'], {})).toThrow(/Unknown option '--replica'/);
  });
});
