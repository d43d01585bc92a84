import { FillWaiters } from './fill-waiters';

describe('FillWaiters', () => {
  it('remembers a fill that came between the watch and the wait (the lease round trip)', async () => {
    const fills = new FillWaiters();
    const watch = fills.watch('k');
    fills.wake('k');
    expect(watch.woken).toBe(true);
    const started = performance.now();
    expect(await watch.wait(5_000)).toBe(true);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('wakes a waiter, times out one that hears nothing, and leaves no listener behind', async () => {
    const fills = new FillWaiters();
    const woken = fills.watch('a').wait(5_000);
    const silent = fills.watch('b').wait(20);
    const cancelled = fills.watch('c');
    cancelled.cancel();
    fills.wake('a');
    expect(await woken).toBe(true);
    expect(await silent).toBe(false);
    fills.wakeAll();
    expect(cancelled.woken).toBe(false);
    expect((fills as unknown as { waiting: Map<string, unknown> }).waiting.size).toBe(0);
  });
});
