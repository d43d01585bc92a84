import {
  decodeEnvelope,
  encodeEnvelope,
  originPrefix,
  sentAtOf,
  WIRE_FORMAT,
  type BusMessage,
} from './message';

const envelope = (message: BusMessage) => ({
  format: WIRE_FORMAT,
  origin: 'pod-1:ab"c',
  seq: 7,
  sentAt: 1.5,
  failedAt: message.type === 'clear' ? 1.25 : 0,
  message,
});

describe('wire format', () => {
  it.each<BusMessage>([
    { type: 'put', key: 'item:"1"', version: 123, ttlMs: 1000, json: '{"a":[1,2,"é"]}' },
    { type: 'put', key: 'big', version: 124, ttlMs: 1000 },
    { type: 'put', key: 'next', version: 130, ttlMs: 1000, supersedes: 124, json: '"v"' },
    { type: 'delete', key: 'k\n', version: 125 },
    { type: 'deletePattern', pattern: 'item:*', version: 126 },
    { type: 'clear', version: 127 },
    { type: 'abandon', key: 'k' },
    { type: 'leave' },
    { type: 'heartbeat' },
  ])('round-trips %j', (message) => {
    const decoded = decodeEnvelope(encodeEnvelope(envelope(message)));
    if (typeof decoded === 'string') throw new Error(decoded);
    const { json, ...rest } = message as BusMessage & { json?: string };
    expect(decoded.envelope).toEqual(envelope(rest as BusMessage));
    expect(decoded.carried).toBe(json !== undefined);
    if (json !== undefined) expect(decoded.value).toEqual(JSON.parse(json));
    if (json !== undefined) expect(decoded.size).toBe(json.length);
  });

  it('carries its format version and refuses others', () => {
    const payload = encodeEnvelope(envelope({ type: 'clear', version: 1 }));
    expect(JSON.parse(payload).f).toBe(WIRE_FORMAT);
    expect(decodeEnvelope(payload.replace(`"f":${WIRE_FORMAT}`, '"f":2'))).toBe('format');
  });

  it('reads the send time of its own payloads only, without decoding them', () => {
    const own = originPrefix('pod-1:ab"c');
    const put = { type: 'put', key: 'k', version: 1, ttlMs: 1, json: '{"at":2,"s":3}' } as const;
    expect(sentAtOf(encodeEnvelope(envelope(put)), own)).toBe(1.5);
    expect(sentAtOf(encodeEnvelope(envelope({ type: 'clear', version: 1 })), own)).toBe(1.5);
    expect(sentAtOf(encodeEnvelope({ ...envelope(put), origin: 'pod-1:ab' }), own)).toBeUndefined();
    expect(sentAtOf(encodeEnvelope({ ...envelope(put), format: 2 }), own)).toBeUndefined();
  });

  it.each([
    'not json',
    '[]',
    'null',
    '{"f":1}',
    '{"f":1,"o":"x","s":-1,"at":1,"t":"c","v":1}',
    '{"f":1,"o":"x","s":1,"at":1,"t":"p","v":1}',
    '{"f":1,"o":"x","s":1,"at":1,"t":"?","v":1}',
  ])('calls %s malformed', (payload) => {
    expect(decodeEnvelope(payload)).toBe('malformed');
  });
});
