import type { Action, Device, UserTag } from '../user-tag';
import { pick, unit } from './random';

/** The tag stream's shape, as the issue sets it: ~1M cookies, 1000 origins, 250 brands, 67 categories. */
export const STREAM_SHAPE = {
  cookies: 1_000_000,
  /** A few cookies get a share of all tags, so their profiles reach the 200-tag cap within minutes. */
  hotCookies: 100,
  hotShare: 0.05,
  origins: 1000,
  brands: 250,
  categories: 67,
  products: 20_000,
  buyShare: 0.2,
  /** 2022-03-01T00:00:00.000Z: tag i has time start + i ms. */
  startMs: Date.UTC(2022, 2, 1),
} as const;

const COUNTRIES = ['PL', 'DE', 'FR', 'GB', 'US', 'ES', 'IT', 'NL', 'SE', 'CZ'];
const DEVICES: Device[] = ['PC', 'MOBILE', 'TV'];

/** Tag number i with the indices the reference model works with. */
export interface GeneratedTag {
  index: number;
  timeMs: number;
  tag: UserTag;
  cookie: number;
  action: Action;
  origin: number;
  brand: number;
  category: number;
  price: number;
}

/**
 * The deterministic tag stream: tag i depends only on the seed and i. Popular origins and brands
 * come up more often than rare ones (a skewed pick), as on real traffic.
 */
export class TagGenerator {
  constructor(readonly seed: number) {}

  timeOf(index: number): number {
    return STREAM_SHAPE.startMs + index;
  }

  tag(index: number): GeneratedTag {
    const s = this.seed;
    const hot = unit(s, index, 1) < STREAM_SHAPE.hotShare;
    const cookie = hot ? pick(s, index, 2, STREAM_SHAPE.hotCookies) : pick(s, index, 2, STREAM_SHAPE.cookies);
    const action: Action = unit(s, index, 3) < STREAM_SHAPE.buyShare ? 'BUY' : 'VIEW';
    const origin = pick(s, index, 4, STREAM_SHAPE.origins, 2);
    const product = pick(s, index, 5, STREAM_SHAPE.products, 2);
    // A product belongs to one brand and category, as in a catalogue.
    const brand = pick(s, product, 6, STREAM_SHAPE.brands, 1.5);
    const category = pick(s, product, 7, STREAM_SHAPE.categories, 1.5);
    const price = 1 + pick(s, index, 8, 100_000);
    const timeMs = this.timeOf(index);
    return {
      index,
      timeMs,
      cookie,
      action,
      origin,
      brand,
      category,
      price,
      tag: {
        time: new Date(timeMs).toISOString(),
        cookie: cookieName(cookie),
        country: COUNTRIES[pick(s, index, 9, COUNTRIES.length)]!,
        device: DEVICES[pick(s, index, 10, DEVICES.length)]!,
        action,
        origin: originName(origin),
        product_info: {
          product_id: product % 10 === 0 ? `sku-${product}` : product,
          brand_id: brandName(brand),
          category_id: categoryName(category),
          price,
        },
      },
    };
  }
}

export const cookieName = (i: number) => `cookie-${i.toString(36)}`;
export const originName = (i: number) => `origin_${i}`;
export const brandName = (i: number) => `brand_${i}`;
export const categoryName = (i: number) => `category_${i}`;
