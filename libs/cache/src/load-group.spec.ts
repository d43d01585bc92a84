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
});
