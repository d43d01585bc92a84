import { waitFor } from '@clustache/testing';

/**
 * The RTB round trip the image tests prove: one BUY tag (price 7) posted to an rtb-api at
 * `base`, then its minute's aggregate polled until an aggregator has applied it (COUNT 1,
 * SUM_PRICE 7 for `origin`). Throws naming the step that did not happen.
 */
export async function tagRoundTrip(base: string, origin: string, timeoutMs: number): Promise<void> {
  const tag = {
    time: '2022-03-01T00:00:00.000Z',
    cookie: origin,
    country: 'PL',
    device: 'TV',
    action: 'BUY',
    origin,
    product_info: { product_id: 1, brand_id: 'b', category_id: 'c', price: 7 },
  };
  const posted = await fetch(`${base}/user_tags`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(tag),
  });
  if (posted.status !== 204)
    throw new Error(`POST /user_tags answered ${posted.status}: ${await posted.text()}`);
  await waitFor(
    async () => {
      const answer = await fetch(
        `${base}/aggregates?time_range=2022-03-01T00:00:00_2022-03-01T00:01:00` +
          `&action=BUY&origin=${encodeURIComponent(origin)}&aggregates=COUNT&aggregates=SUM_PRICE`,
        { method: 'POST' },
      );
      const { rows } = (await answer.json()) as { rows: string[][] };
      return rows[0]?.slice(-2).join(',') === '1,7';
    },
    { timeoutMs, intervalMs: 200, description: 'the tag in its minute bucket, applied by an aggregator' },
  );
}
