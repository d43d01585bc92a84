import { LoadGroup } from './load-group';

describe('LoadGroup', () => {
  it('runs one load per key for concurrent callers', async () => {
    const group = new LoadGroup();
    let calls = 0;
    const load = async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return calls;
    };
    const runs = Array.from({ length: 50 }, () => group.run('k', load));
    expect(runs.filter((run) => run.shared)).toHaveLength(49);
    expect(await Promise.all(runs.map((run) => run.promise))).toEqual(Array(50).fill(1));
    expect(group.size).toBe(0);
    await group.run('k', load).promise;
    expect(calls).toBe(2);
  });

  it('fails every waiter with the same error and forgets the failed load', async () => {
    const group = new LoadGroup();
    const failure = new Error('source down');
    const runs = [1, 2, 3].map(() => group.run('k', () => Promise.reject(failure)));
    const errors = await Promise.all(runs.map((run) => run.promise.catch((error: unknown) => error)));
    expect(errors.every((error) => error === failure)).toBe(true);
    expect(group.size).toBe(0);
  });

  it('starts a new load for callers after an invalidation detached the one in flight', async () => {
    const group = new LoadGroup();
    let release: (value: string) => void = () => undefined;
    const before = group.run('k', () => new Promise<string>((resolve) => (release = resolve)));
    group.detach((key) => key === 'k');
    const after = group.run('k', async () => 'new');
    expect(after.shared).toBe(false);
    expect(await after.promise).toBe('new');
    const again = group.run('k', () => new Promise<string>(() => undefined));
    release('old'); // the detached load ends: it must not drop the one that replaced it
    expect(await before.promise).toBe('old');
    expect(group.run('k', async () => 'third').shared).toBe(true);
    expect(again.shared).toBe(false);
  });
});
