import { LoaderTimeoutError } from './errors';
import type { L1Entry } from './l1/store';
import type { LoadGroup } from './load-group';
import type { Logger } from './logger';
import type { Lookup } from './lookup';
import type { CacheStats } from './stats';

/**
 * How long one caller waits for a load, which may be shared with other callers. With a fail-safe
 * value at hand (an entry past its TTL, within the grace), a load that fails or outlasts the soft
 * timeout answers with it, marked `stale`; none outlasts the hard timeout. The load itself is
 * never cut short: it goes on in the background and stores its value when it lands. A caller's
 * patience is its own; the load belongs to every caller of the key.
 */
export class LoadTimeouts<V> {
  constructor(
    private readonly timeouts: { softMs?: number; hardMs?: number },
    private readonly loads: LoadGroup,
    private readonly stats: CacheStats,
    private readonly logger: Logger,
  ) {}

  /** `load` of `key` within the timeouts, else `fallback` (when there is one), else the failure. */
  async bound(key: string, load: Promise<Lookup<V>>, fallback: L1Entry<V> | undefined): Promise<Lookup<V>> {
    const { softMs, hardMs } = this.timeouts;
    if (fallback === undefined && hardMs === undefined) return load;
    const timers: NodeJS.Timeout[] = [];
    const after = (ms: number, outcome: 'soft' | 'hard') =>
      new Promise<'soft' | 'hard'>((resolve) => timers.push(setTimeout(() => resolve(outcome), ms)));
    const contenders: Promise<Lookup<V> | 'soft' | 'hard' | { failed: unknown }>[] = [
      load.catch((failed: unknown) => ({ failed })),
    ];
    if (fallback !== undefined && softMs !== undefined) contenders.push(after(softMs, 'soft'));
    if (hardMs !== undefined) contenders.push(after(hardMs, 'hard'));
    const outcome = await Promise.race(contenders);
    for (const timer of timers) clearTimeout(timer);
    if (outcome === 'hard') {
      this.stats.loaderTimeouts++;
      this.loads.forget(key, load); // a hung load must not hold the key hostage: the next caller tries afresh
    }
    if (typeof outcome === 'object' && !('failed' in outcome)) return outcome;
    const reason = outcome === 'soft' ? 'softTimeout' : outcome === 'hard' ? 'hardTimeout' : 'error';
    if (fallback !== undefined) {
      this.stats.staleServed[reason]++;
      this.logger.warn('serving a fail-safe value', { key, reason });
      return { value: fallback.value, from: 'stale' };
    }
    if (outcome === 'hard')
      throw new LoaderTimeoutError(`loading "${key}" took longer than timeouts.hardMs (${hardMs} ms)`);
    throw (outcome as { failed: unknown }).failed;
  }
}
