import { VersionClock } from './clock';
import { Tombstones } from './tombstones';

describe('Tombstones', () => {
  const clock = new VersionClock();
  const accepts = (tombstones: Tombstones, key: string, version: number) => tombstones.accepts(key, version);

  it('refuses a value older than a delete of its key, and accepts a newer one', () => {
    const tombstones = new Tombstones(30_000);
    const old = clock.next();
    const deleted = clock.next();
    tombstones.addKey('k', deleted);
    expect(accepts(tombstones, 'k', old)).toBe(false);
    expect(accepts(tombstones, 'k', deleted)).toBe(false);
    expect(accepts(tombstones, 'k', clock.next())).toBe(true);
    expect(accepts(tombstones, 'other', old)).toBe(true);
  });

  it('keeps the newest delete of a key', () => {
    const tombstones = new Tombstones(30_000);
    const v1 = clock.next();
    const v2 = clock.next();
    tombstones.addKey('k', v2);
    tombstones.addKey('k', v1);
    expect(accepts(tombstones, 'k', v2)).toBe(false);
    expect(accepts(tombstones, 'k', clock.next())).toBe(true);
  });

  it('applies pattern deletes to matching keys only', () => {
    const tombstones = new Tombstones(30_000);
    const old = clock.next();
    tombstones.addPattern('item:*', clock.next());
    expect(accepts(tombstones, 'item:1', old)).toBe(false);
    expect(accepts(tombstones, 'user:1', old)).toBe(true);
  });

  it('refuses everything older than a clear', () => {
    const tombstones = new Tombstones(30_000);
    const old = clock.next();
    tombstones.raiseFloor(clock.next());
    expect(accepts(tombstones, 'any', old)).toBe(false);
    expect(accepts(tombstones, 'any', clock.next())).toBe(true);
  });

  it('treats a value within the margin after a delete as concurrent with it', () => {
    const tombstones = new Tombstones(30_000);
    const deleted = clock.next();
    tombstones.addKey('k', deleted);
    const close = deleted + VersionClock.ticks(5);
    expect(tombstones.accepts('k', close)).toBe(true);
    expect(tombstones.accepts('k', close, VersionClock.ticks(10))).toBe(false);
    expect(tombstones.accepts('k', deleted + VersionClock.ticks(11), VersionClock.ticks(10))).toBe(true);
  });

  it('forgets tombstones after their TTL, and knows values read before that cannot be checked', () => {
    const tombstones = new Tombstones(1000);
    tombstones.addKey('k', clock.next());
    tombstones.addPattern('p*', clock.next());
    tombstones.sweep(Date.now() + 2000);
    expect(tombstones.size).toBe(0);
    expect(tombstones.outlived(clock.next() - VersionClock.ticks(2000))).toBe(true);
    expect(tombstones.outlived(clock.next())).toBe(false);
  });
});
