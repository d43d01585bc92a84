import { InvalidTagError } from './errors';
import { calendarTime } from './time-range';

export const DEVICES = ['PC', 'MOBILE', 'TV'] as const;
export const ACTIONS = ['VIEW', 'BUY'] as const;
export type Device = (typeof DEVICES)[number];
export type Action = (typeof ACTIONS)[number];

export interface ProductInfo {
  product_id: number | string;
  brand_id: string;
  category_id: string;
  price: number;
}

/** One event of the contract's `POST /user_tags`: a cookie viewed or bought a product. */
export interface UserTag {
  time: string;
  cookie: string;
  country: string;
  device: Device;
  action: Action;
  origin: string;
  product_info: ProductInfo;
}

/** A cookie's profile as `POST /user_profiles/{cookie}` returns it: newest first, VIEWs and BUYs apart. */
export interface Profile {
  cookie: string;
  views: UserTag[];
  buys: UserTag[];
}

/** A user tag with its time already parsed: what the stores work with. */
export interface AcceptedTag {
  tag: UserTag;
  timeMs: number;
}

const TAG_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const MAX_STRING = 256;
const CONTROL = /[\u0000-\u001f\u007f]/;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * Checks a parsed JSON body against the contract and returns the tag in the contract's field
 * order (so what profiles return reads the same whatever order the client sent). Unknown extra
 * fields are dropped rather than stored: a profile echoes exactly the contract's fields.
 */
export function parseUserTag(body: unknown): AcceptedTag {
  const tag = record(body, 'the body');
  const time = text(tag, 'time');
  if (!TAG_TIME.test(time)) throw invalid('time', 'an ISO-8601 UTC time such as 2022-03-01T00:00:00.123Z');
  const timeMs = calendarTime(time.slice(0, -1));
  if (timeMs === undefined) throw invalid('time', 'a real calendar time');
  const product = record(tag['product_info'], 'product_info');
  const productId = product['product_id'];
  if (!(typeof productId === 'string' && validText(productId)) && !Number.isFinite(productId))
    throw invalid('product_info.product_id', 'a number or a non-empty string without control characters');
  const price = product['price'];
  if (typeof price !== 'number' || !Number.isInteger(price) || price < INT32_MIN || price > INT32_MAX)
    throw invalid('product_info.price', 'a 32-bit integer');
  return {
    timeMs,
    tag: {
      time,
      cookie: text(tag, 'cookie'),
      country: text(tag, 'country'),
      device: oneOf(tag, 'device', DEVICES),
      action: oneOf(tag, 'action', ACTIONS),
      origin: text(tag, 'origin'),
      product_info: {
        product_id: productId as number | string,
        brand_id: text(product, 'brand_id', 'product_info.brand_id'),
        category_id: text(product, 'category_id', 'product_info.category_id'),
        price,
      },
    },
  };
}

function record(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new InvalidTagError(`${name} must be a JSON object`);
  return value as Record<string, unknown>;
}

function text(from: Record<string, unknown>, field: string, path = field): string {
  const value = from[field];
  if (typeof value !== 'string' || !validText(value))
    throw invalid(path, `a non-empty string of at most ${MAX_STRING} characters, without control characters`);
  return value;
}

function oneOf<T extends string>(from: Record<string, unknown>, field: string, allowed: readonly T[]): T {
  const value = from[field];
  if (!allowed.includes(value as T)) throw invalid(field, `one of ${allowed.join(', ')}`);
  return value as T;
}

/** Non-empty, bounded, and free of control characters (which no cookie, country or id needs). */
function validText(value: string): boolean {
  return value.length > 0 && value.length <= MAX_STRING && !CONTROL.test(value);
}

function invalid(field: string, expected: string): InvalidTagError {
  return new InvalidTagError(`${field} must be ${expected}`);
}
