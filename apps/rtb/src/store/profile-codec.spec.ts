import type { UserTag } from '@clustache/rtb-contract';
import { decodeProfileEntry, encodeProfileEntry } from './profile-codec';

const TAG: UserTag = {
  time: '2022-03-01T00:00:00.123Z',
  cookie: 'cookie-1',
  country: 'PL',
  device: 'MOBILE',
  action: 'BUY',
  origin: 'origin_123',
  product_info: { product_id: 12345, brand_id: 'brand_12', category_id: 'category_3', price: -54321 },
};
const MS = Date.parse(TAG.time);

describe('profile entries', () => {
  it('round-trip a tag, and fit a typical one in a compact (listpack) sorted-set member', () => {
    const member = encodeProfileEntry(TAG, MS);
    expect(Buffer.byteLength(member)).toBeLessThanOrEqual(64);
    expect(decodeProfileEntry(member, TAG.cookie, TAG.action)).toEqual(TAG);
  });

  it('keep a string product id a string, and a number a number', () => {
    const tag = { ...TAG, product_info: { ...TAG.product_info, product_id: '12345' } };
    expect(decodeProfileEntry(encodeProfileEntry(tag, MS), tag.cookie, tag.action)).toEqual(tag);
  });

  it('echo a time exactly as the client spelled it', () => {
    const tag = { ...TAG, time: '2022-03-01T00:00:00Z' };
    const ms = Date.parse(tag.time);
    expect(decodeProfileEntry(encodeProfileEntry(tag, ms), tag.cookie, tag.action).time).toBe(
      '2022-03-01T00:00:00Z',
    );
  });

  it('differ for tags that differ only in time, so both are kept', () => {
    expect(encodeProfileEntry(TAG, MS)).not.toBe(
      encodeProfileEntry({ ...TAG, time: '2022-03-01T00:00:00.124Z' }, MS + 1),
    );
  });
});
