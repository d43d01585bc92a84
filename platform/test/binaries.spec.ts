import { findBinaries, MissingBinariesError } from '../src/binaries';

describe('findBinaries', () => {
  it('finds the installed binaries on PATH', () => {
    const found = findBinaries(['redis-server', 'prometheus', 'alertmanager', 'redis-exporter']);
    expect(Object.keys(found).sort()).toEqual([
      'alertmanager',
      'prometheus',
      'redis-exporter',
      'redis-server',
    ]);
  });

  it('names every missing binary with the command that installs it', () => {
    let error: unknown;
    try {
      findBinaries(['prometheus', 'alertmanager'], { PATH: '/nonexistent' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(MissingBinariesError);
    expect((error as Error).message).toContain('missing prometheus, prometheus-alertmanager');
    expect((error as Error).message).toContain('sudo apt-get install -y prometheus-alertmanager');
    expect((error as Error).message).toContain('PROMETHEUS_BIN');
  });

  it('takes an explicit path from the environment', () => {
    const found = findBinaries(['redis-server'], {
      PATH: '/nonexistent',
      REDIS_SERVER_BIN: '/usr/bin/redis-server',
    });
    expect(found['redis-server']).toBe('/usr/bin/redis-server');
  });
});
