import { InFlightReads } from './in-flight';

describe('InFlightReads', () => {
  it('marks only the reads of invalidated keys, and forgets reads that ended', async () => {
    const reads = new InFlightReads();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const batch = reads.run(['item:1', 'item:2', 'user:1'], async (ticket) => {
      await gate;
      return ['item:1', 'item:2', 'user:1'].map((key) => ticket.isStale(key));
    });
    const single = reads.run(['other'], async (ticket) => {
      await gate;
      return ticket.isStale('other');
    });
    reads.invalidate('item:1');
    reads.invalidatePattern('user:*');
    release();
    expect(await batch).toEqual([true, false, true]);
    expect(await single).toBe(false);

    const after = await reads.run(['item:1'], async (ticket) => ticket.isStale('item:1'));
    expect(after).toBe(false);
  });

  it('marks every read on invalidateAll', async () => {
    const reads = new InFlightReads();
    const stale = await reads.run(['a', 'b'], async (ticket) => {
      reads.invalidateAll();
      return [ticket.isStale('a'), ticket.isStale('b')];
    });
    expect(stale).toEqual([true, true]);
  });
});
