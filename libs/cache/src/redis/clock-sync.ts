import { setClockOffset } from '../clock';
import type { Logger } from '../logger';
import type { RedisGateway } from './gateway';

/** TIME round trips per measurement; the fastest one is kept. */
const SAMPLES = 5;
/** Beyond half the round trip, how far the clocks may differ and still count as agreeing. */
const AGREES_WITHIN_MS = 2;
/** How often the offset is measured again while connected, to follow the machine clock's drift. */
const RESYNC_MS = 60_000;

/**
 * Keeps this process's versions on the Redis server's clock. Versions and send times are
 * wall-clock readings that replicas compare with each other; a replica whose host clock is off
 * by more than `clockSkewMs` (a laptop VM after sleep, a node without NTP) would otherwise order
 * a fill it loaded before a peer's write after that write. On each connect, and every minute,
 * it reads TIME a few times and keeps the offset of the fastest round trip, wrong by at most
 * half of it; an offset within that error is taken as none. Versions never go backwards when the
 * offset moves: the clock is hybrid.
 */
export class ClockSync {
  private readonly timer: NodeJS.Timeout;
  private readonly stopListening: () => void;

  constructor(
    private readonly gateway: RedisGateway,
    private readonly logger: Logger,
  ) {
    this.stopListening = gateway.onReady(() => void this.sync());
    this.timer = setInterval(() => void this.sync(), RESYNC_MS);
    this.timer.unref();
    if (gateway.isReady) void this.sync();
  }

  /** Measures the offset and applies it; undefined (nothing changed) when Redis cannot answer. */
  async sync(): Promise<number | undefined> {
    if (!this.gateway.isReady) return undefined;
    try {
      let best: { roundTripMs: number; offsetMs: number } | undefined;
      for (let i = 0; i < SAMPLES; i++) {
        const sentAt = Date.now();
        const [seconds, micros] = await this.gateway.run('clock.sync', (redis) => redis.time());
        const receivedAt = Date.now();
        const serverMs = Number(seconds) * 1000 + Number(micros) / 1000;
        const roundTripMs = receivedAt - sentAt;
        if (best === undefined || roundTripMs < best.roundTripMs)
          best = { roundTripMs, offsetMs: serverMs - (sentAt + receivedAt) / 2 };
      }
      // Within the measurement's own error the clocks agree: leave the machine's clock alone
      // rather than move every version in the process by noise.
      const offsetMs =
        Math.abs(best!.offsetMs) <= best!.roundTripMs / 2 + AGREES_WITHIN_MS ? 0 : best!.offsetMs;
      setClockOffset(offsetMs);
      this.logger.debug('clock synced with redis', { ...best, applied: offsetMs });
      return offsetMs;
    } catch {
      return undefined; // the gateway logged and counted it; the last offset stays
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.stopListening();
  }
}
