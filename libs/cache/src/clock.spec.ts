import { VersionClock } from './clock';

describe('VersionClock', () => {
  it('issues strictly increasing versions, even within one millisecond', () => {
    const clock = new VersionClock();
    const versions = Array.from({ length: 5000 }, () => clock.next());
    for (let i = 1; i < versions.length; i++) expect(versions[i]).toBeGreaterThan(versions[i - 1]!);
    expect(versions.every(Number.isSafeInteger)).toBe(true);
  });

  it('moves past versions observed from peers whose clocks run ahead', () => {
    const clock = new VersionClock();
    const ahead = new VersionClock();
    jest.spyOn(Date, 'now').mockReturnValueOnce(Date.now() + 5_000);
    const peerVersion = ahead.next();
    clock.observe(peerVersion);
    expect(clock.next()).toBeGreaterThan(peerVersion);
  });

  it('maps a version back to the millisecond it was issued', () => {
    const before = Date.now();
    const version = new VersionClock().next();
    expect(VersionClock.millisOf(version)).toBeGreaterThanOrEqual(before);
    expect(VersionClock.millisOf(version)).toBeLessThanOrEqual(Date.now());
  });
});
