import type { BackgroundWrites } from './background-writes';
import type { CacheBus } from './bus/bus';
import type { FillWatch } from './fill-waiters';
import type { LoadLeases } from './load-leases';
import type { Lookup } from './lookup';
import type { ReplicaMemory } from './replica-memory';
import type { CacheStats } from './stats';

/** This replica's hold on a key's load lease while it loads the key. */
export interface LeaseHold {
  /** The load is over: lets go of the lease, telling waiting peers when no fill went out. */
  release(): void;
}

/**
 * The cross-replica half of a miss: one replica loads a key, the others wait for its fill on the
 * bus instead of calling the source. A replica asks for the key's lease; losing it, it waits for
 * the holder's fill (at most `waitMs`, then it loads itself); winning it, it loads, and lets go
 * when done or after the hard timeout, so peers never wait on a load that hangs. A holder whose
 * load sent no fill (it failed, or an invalidation overtook it) tells the waiters so (`abandon`).
 */
export class LeaseWait<V> {
  constructor(
    private readonly leases: LoadLeases,
    private readonly memory: ReplicaMemory<V>,
    private readonly bus: CacheBus,
    private readonly stats: CacheStats,
    private readonly background: BackgroundWrites,
    private readonly settings: {
      /** How long a replica that lost the lease waits for the holder's fill. */
      waitMs: number;
      /** A holder lets go after this long even if its load goes on. */
      hardMs: number | undefined;
    },
  ) {}

  /**
   * Asks for `key`'s lease. Lost: the holder's fill when it came, else nothing (load without the
   * lease). Won: a fill that landed meanwhile, else the hold on the lease for the load.
   * `published` tells, once the load is over, whether its fill went out (it wakes the waiters).
   */
  async take(key: string, published: () => boolean): Promise<{ filled: Lookup<V> } | LeaseHold | undefined> {
    // Listen for the holder's fill before asking for the lease: it may land during the round
    // trip and not be kept here, and then only the watch knows that it came.
    const watch = this.memory.fills.watch(key);
    const lease = await this.leases.acquire(key);
    if (lease === 'lost') {
      const filled = await this.awaitPeerFill(key, watch);
      return filled && { filled };
    }
    watch.cancel();
    this.stats.leases[lease]++;
    if (lease === 'unavailable') return undefined;
    // A lease just released by its holder can be won before the holder's fill (sent first) is
    // read from the socket: give the bus one turn, and take the fill if it came.
    await new Promise((resolve) => setImmediate(resolve));
    const entry = this.memory.hit(key);
    if (entry !== undefined) {
      this.background.track(this.leases.release(key));
      return { filled: { value: entry.value, from: entry.origin } };
    }
    return this.hold(key, published);
  }

  /** A holder whose load outlives the hard timeout lets go, so waiting peers stop waiting on it. */
  private hold(key: string, published: () => boolean): LeaseHold {
    let held = true;
    const letGo = () => {
      if (!held) return;
      held = false;
      // A published fill wakes the waiters itself; only when none went out must they be told.
      if (!published()) this.abandon(key);
      this.background.track(this.leases.release(key));
    };
    const { hardMs } = this.settings;
    const giveUp = hardMs !== undefined ? setTimeout(letGo, hardMs) : undefined;
    return {
      release: () => {
        clearTimeout(giveUp);
        letGo();
      },
    };
  }

  /** Waits for the lease holder's fill; undefined when it did not come (then load yourself). */
  private async awaitPeerFill(key: string, watch: FillWatch): Promise<Lookup<V> | undefined> {
    // The fill (or abandon) may have landed during the lease round trip: then the watch was
    // woken already, whether or not the fill was kept, and waiting would be for nothing.
    if (this.memory.peek(key) === undefined) await watch.wait(this.settings.waitMs);
    else watch.cancel();
    const entry = this.memory.hit(key);
    if (entry === undefined) {
      this.stats.leases.unfilled++;
      return undefined;
    }
    this.stats.leases.filled++;
    return { value: entry.value, from: entry.origin };
  }

  /** Tells peers waiting on this replica's lease that no fill is coming. */
  private abandon(key: string): void {
    this.background.track(this.bus.publish([{ type: 'abandon', key }]));
  }
}
