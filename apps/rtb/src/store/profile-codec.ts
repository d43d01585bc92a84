import type { Action, Device, UserTag } from '../contract/user-tag';

type Entry = [
  time: string,
  country: string,
  device: Device,
  origin: string,
  productId: number | string,
  brand: string,
  category: string,
  price: number,
];

/**
 * A tag as a profile sorted-set member: a JSON array without the field names, the cookie or the
 * action (the key says both). About a third of the tag's JSON, and profiles hold most of Redis's
 * memory. The time string is kept as the client wrote it, so profiles echo it unchanged.
 */
export function encodeProfileEntry(tag: UserTag): string {
  const p = tag.product_info;
  const entry: Entry = [
    tag.time,
    tag.country,
    tag.device,
    tag.origin,
    p.product_id,
    p.brand_id,
    p.category_id,
    p.price,
  ];
  return JSON.stringify(entry);
}

export function decodeProfileEntry(member: string, cookie: string, action: Action): UserTag {
  const [time, country, device, origin, productId, brand, category, price] = JSON.parse(member) as Entry;
  return {
    time,
    cookie,
    country,
    device,
    action,
    origin,
    product_info: { product_id: productId, brand_id: brand, category_id: category, price },
  };
}
