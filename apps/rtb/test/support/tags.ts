import type { UserTag } from '@clustache/rtb-contract';

/** A valid tag at `time` (ms) for `cookie`, with anything overridable. */
export function userTag(cookie: string, timeMs: number, overrides: Partial<UserTag> = {}): UserTag {
  return {
    time: new Date(timeMs).toISOString(),
    cookie,
    country: 'PL',
    device: 'PC',
    action: 'VIEW',
    origin: 'origin_1',
    product_info: { product_id: 1, brand_id: 'brand_1', category_id: 'category_1', price: 10 },
    ...overrides,
  };
}

export async function postTag(url: string, tag: unknown): Promise<Response> {
  return fetch(`${url}/user_tags`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(tag),
  });
}
