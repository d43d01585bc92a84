import { DEVICES, type Action, type Device, type UserTag } from '@clustache/rtb-contract';

/** Between fields of a member; the contract's strings cannot hold it (control characters are refused). */
const SEPARATOR = '\x1f';

/**
 * A tag as a profile sorted-set member, kept under Redis's 64-byte limit for compact (listpack)
 * sorted sets in the common case, because profiles hold most of Redis's memory and a skiplist
 * sorted set costs several hundred bytes more per cookie. Fields are joined by a separator; the
 * cookie and action are in the key; the device is one letter; the time is its milliseconds in
 * base 36, and the client's own spelling of it is kept only when it differs from the canonical
 * one (`2022-03-01T00:00:00.123Z`), so profiles echo every time exactly as it was sent. The time
 * stays in the member so that two tags differing only in time are two members.
 */
export function encodeProfileEntry(tag: UserTag, timeMs: number): string {
  const p = tag.product_info;
  const spelled = new Date(timeMs).toISOString() === tag.time ? '' : tag.time;
  const productId = typeof p.product_id === 'number' ? `n${p.product_id}` : `s${p.product_id}`;
  return [
    timeMs.toString(36),
    spelled,
    tag.country,
    tag.device[0],
    tag.origin,
    productId,
    p.brand_id,
    p.category_id,
    p.price,
  ].join(SEPARATOR);
}

export function decodeProfileEntry(member: string, cookie: string, action: Action): UserTag {
  const [time36, spelled, country, device, origin, productId, brand, category, price] = member.split(
    SEPARATOR,
  ) as [string, string, string, string, string, string, string, string, string];
  return {
    time: spelled === '' ? new Date(parseInt(time36, 36)).toISOString() : spelled,
    cookie,
    country,
    device: DEVICES.find((name) => name[0] === device) as Device,
    action,
    origin,
    product_info: {
      product_id: productId[0] === 'n' ? Number(productId.slice(1)) : productId.slice(1),
      brand_id: brand,
      category_id: category,
      price: Number(price),
    },
  };
}
