import type { LogMark } from './message';
import type { LogPosition, ReplayLog } from './replay-log';

/** How a live message's place in the log relates to what this replica has followed. */
export type Follow = 'next' | 'old' | 'gap';

/**
 * This replica's place in the replay log. Every logged message arrives with its number in the
 * log; while they arrive one after the other, nothing was missed, and the position moves with
 * them. A number further on means logged messages went missing here: the bus repairs from the
 * position. Until the position is known (read once subscribed), nothing is judged.
 */
export class LogFollower {
  private position: LogPosition | undefined;
  /** The furthest mark seen while the position was unknown: a position read before it is behind. */
  private latest: LogMark | undefined;
  private locating: Promise<void> | undefined;

  constructor(readonly log: ReplayLog) {}

  get at(): LogPosition | undefined {
    return this.position;
  }

  /** Learns where the log is now, once subscribed and while unknown; one read at a time. */
  locate(): Promise<void> {
    this.locating ??= this.log
      .read(undefined)
      .then(({ position }) => {
        if (this.position !== undefined) return; // a repair placed it meanwhile
        const latest = this.latest;
        this.latest = undefined;
        this.position = latest && latest.n > position.n ? { epoch: position.epoch, ...latest } : position;
      })
      .catch(() => undefined) // Redis did not answer: the next heartbeat tries again
      .finally(() => (this.locating = undefined));
    return this.locating;
  }

  /** Moves to `position` (after a repair, or where the log stands after a flush). */
  moveTo(position: LogPosition | undefined): void {
    this.position = position;
    this.latest = undefined;
  }

  /** Where a live message stands: the next entry (followed), one already passed, or past a gap. */
  follow(mark: LogMark): Follow {
    const position = this.position;
    if (position === undefined) {
      if (this.latest === undefined || mark.n > this.latest.n) this.latest = mark;
      return 'old';
    }
    if (mark.n <= position.n) return 'old';
    if (mark.n > position.n + 1) return 'gap';
    this.position = { epoch: position.epoch, id: mark.id, n: mark.n };
    return 'next';
  }
}
