import { aggregateColumns, parseAggregatesQuery } from './aggregates-query';
import { formatBucket, parseAggregateRange, parseProfileRange } from './time-range';
import { parseUserTag } from './user-tag';

const TAG = {
  time: '2022-03-01T00:00:00.123Z',
  cookie: 'c1',
  country: 'PL',
  device: 'PC',
  action: 'VIEW',
  origin: 'o1',
  product_info: { product_id: 7, brand_id: 'b1', category_id: 'k1', price: 100 },
};

describe('user_tag', () => {
  it('returns the contract fields in contract order, whatever order they came in', () => {
    const { product_info, ...rest } = TAG;
    const shuffled = {
      extra: 1,
      product_info: Object.fromEntries(Object.entries(product_info).reverse()),
      ...Object.fromEntries(Object.entries(rest).reverse()),
    };
    const { tag, timeMs } = parseUserTag(shuffled);
    expect(JSON.stringify(tag)).toBe(JSON.stringify(TAG));
    expect(timeMs).toBe(Date.UTC(2022, 2, 1, 0, 0, 0, 123));
  });

  it('accepts a string product id', () => {
    expect(
      parseUserTag({ ...TAG, product_info: { ...TAG.product_info, product_id: 'sku-1' } }).tag.product_info
        .product_id,
    ).toBe('sku-1');
  });

  it.each([
    ['no time', { ...TAG, time: undefined }, 'time'],
    ['a time with an offset', { ...TAG, time: '2022-03-01T00:00:00+01:00' }, 'time'],
    ['an impossible date', { ...TAG, time: '2022-02-30T00:00:00.000Z' }, 'time'],
    ['an unknown device', { ...TAG, device: 'WATCH' }, 'device'],
    ['an unknown action', { ...TAG, action: 'CLICK' }, 'action'],
    ['an empty cookie', { ...TAG, cookie: '' }, 'cookie'],
    ['a fractional price', { ...TAG, product_info: { ...TAG.product_info, price: 1.5 } }, 'price'],
    ['a price beyond int32', { ...TAG, product_info: { ...TAG.product_info, price: 2 ** 31 } }, 'price'],
    ['no product_info', { ...TAG, product_info: undefined }, 'product_info'],
    [
      'a boolean product id',
      { ...TAG, product_info: { ...TAG.product_info, product_id: true } },
      'product_id',
    ],
  ])('rejects %s naming the field', (_name, body, field) => {
    expect(() => parseUserTag(body)).toThrow(
      expect.objectContaining({ code: 'INVALID_TAG', message: expect.stringContaining(field) }),
    );
  });
});

describe('time ranges', () => {
  it('reads profile ranges to the millisecond, half-open', () => {
    expect(parseProfileRange('2022-03-22T12:15:00.000_2022-03-22T12:30:00.5')).toEqual({
      fromMs: Date.UTC(2022, 2, 22, 12, 15),
      toMs: Date.UTC(2022, 2, 22, 12, 30, 0, 500),
    });
  });

  it('requires whole minutes and at most 10 of them for aggregates', () => {
    expect(parseAggregateRange('2022-03-22T12:15:00_2022-03-22T12:25:00').toMs).toBe(
      Date.UTC(2022, 2, 22, 12, 25),
    );
    expect(() => parseAggregateRange('2022-03-22T12:15:30_2022-03-22T12:25:00')).toThrow('whole minutes');
    expect(() => parseAggregateRange('2022-03-22T12:15:00_2022-03-22T12:26:00')).toThrow('10 minutes');
    expect(() => parseAggregateRange('2022-03-22T12:15:00.000_2022-03-22T12:25:00.000')).toThrow('look like');
  });

  it.each(['', '2022-03-22T12:15:00.000', '2022-03-22T12:30:00.000_2022-03-22T12:15:00.000', 'a_b'])(
    'rejects %j',
    (value) =>
      expect(() => parseProfileRange(value)).toThrow(expect.objectContaining({ code: 'INVALID_TIME_RANGE' })),
  );

  it('writes buckets the contract way', () => {
    expect(formatBucket(Date.UTC(2022, 2, 1, 0, 5))).toBe('2022-03-01T00:05:00');
  });
});

describe('aggregates query', () => {
  const base = { time_range: '2022-03-01T00:00:00_2022-03-01T00:05:00', action: 'BUY' };

  it('orders filter columns origin, brand_id, category_id and keeps the aggregates in query order', () => {
    const query = parseAggregatesQuery({
      ...base,
      category_id: 'k',
      origin: 'o',
      aggregates: ['SUM_PRICE', 'COUNT'],
    });
    expect(aggregateColumns(query)).toEqual([
      '1m_bucket',
      'action',
      'origin',
      'category_id',
      'sum_price',
      'count',
    ]);
  });

  it.each([
    [{ ...base, aggregates: 'COUNT', action: 'CLICK' }, 'action'],
    [{ ...base }, 'aggregates is required'],
    [{ ...base, aggregates: 'AVG' }, 'aggregates must be'],
    [{ ...base, aggregates: 'COUNT', origin: ['a', 'b'] }, 'once'],
    [{ ...base, aggregates: 'COUNT', brand_id: '' }, 'empty'],
  ])('rejects %j', (query, message) => {
    expect(() => parseAggregatesQuery(query)).toThrow(message);
  });
});
