/** What this replica knows of one peer. */
export interface Peer {
  /** Its last sequence number applied here; undefined: take its next message as the baseline. */
  seq: number | undefined;
  /** When it was last heard (ms); a peer unheard of for too long is forgotten, and suspected. */
  seenAt: number;
  /** The latest publish failure it reported (wall ms; see `Envelope.failedAt`). */
  failedAt: number;
}

/**
 * The peers this replica hears on the bus, by origin, and since when a failure they report means
 * a message this replica missed. Sequence numbers show a message lost in transit; they cannot
 * show a publish that failed at its sender, so every message carries its sender's last failure,
 * and one reported anew from the window this replica has been listening in counts as a loss.
 */
export class Peers {
  private readonly byOrigin = new Map<string, Peer>();
  /** Wall time from which this replica listens: a peer's failure after it is a message we missed. */
  private listeningSince = 0;
  /** Wall time of the last drop of L1: it covers every failure reported before it. */
  private flushedAt = 0;

  /** `skewMs`: how far apart two replicas' clocks may be; widens the window in which a failure counts. */
  constructor(private readonly skewMs: number) {}

  get(origin: string): Peer | undefined {
    return this.byOrigin.get(origin);
  }

  set(origin: string, peer: Peer): void {
    this.byOrigin.set(origin, peer);
  }

  has(origin: string): boolean {
    return this.byOrigin.has(origin);
  }

  /** A peer that said `leave`: forgotten without suspicion. */
  delete(origin: string): void {
    this.byOrigin.delete(origin);
  }

  origins(): IterableIterator<string> {
    return this.byOrigin.keys();
  }

  /** Forgets every peer's sequence: after a drop of L1, the next message of each is its baseline. */
  rebase(): void {
    for (const peer of this.byOrigin.values()) peer.seq = undefined;
  }

  /** Every peer's silence counts from now (they were not unheard, only not listened to). */
  resetSilence(): void {
    for (const peer of this.byOrigin.values()) peer.seenAt = Date.now();
  }

  /** Forgets the peers unheard of since `cutoff` (ms) and returns them. */
  forgetSilent(cutoff: number): string[] {
    const silent: string[] = [];
    for (const [origin, peer] of this.byOrigin) {
      if (peer.seenAt >= cutoff) continue;
      this.byOrigin.delete(origin);
      silent.push(origin);
    }
    return silent;
  }

  /** Failures count from `time` (wall ms): the current subscription, or the last flush. */
  listenFrom(time: number): void {
    this.listeningSince = time;
  }

  /** Failures count from `time` already, if that is earlier (a warm start read values from then). */
  listenBackTo(time: number): void {
    this.listeningSince = Math.min(this.listeningSince, time);
  }

  /** L1 was dropped at `time` (wall ms): failures reported before it are covered. */
  flushed(time: number): void {
    this.flushedAt = time;
  }

  /**
   * A peer reports a failed publish we have not seen reported before, made while we were
   * subscribed (allowing for clock skew): a sequence gap cannot show it when our baseline for that
   * peer was taken after the failure, so it counts as one.
   */
  missedFailure(known: number, reported: number): boolean {
    return (
      reported > known &&
      reported + this.skewMs >= this.listeningSince &&
      reported + this.skewMs >= this.flushedAt
    );
  }
}
