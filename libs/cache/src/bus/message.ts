/** The wire format's version; receivers treat any other as unreadable (see `CacheBus`). */
export const WIRE_FORMAT = 1;

/**
 * What travels on the bus. Every message names its publisher (`origin`, unique per cache
 * instance) and that publisher's sequence number, so receivers can tell a gap from a lost
 * message. Field names are short because every replica decodes every message.
 */
export type BusMessage =
  /**
   * A value was loaded or written. `json` absent: too large to send, peers drop their copy.
   * `supersedes`: the version of the key the publisher held when it wrote, so peers holding that
   * version know this write came after it, however close the two versions are.
   */
  | { type: 'put'; key: string; version: number; ttlMs: number; supersedes?: number; json?: string }
  | { type: 'delete'; key: string; version: number }
  | { type: 'deletePattern'; pattern: string; version: number }
  | { type: 'clear'; version: number }
  /** The replica holding the load lease of `key` failed to load it: waiting peers load for themselves. */
  | { type: 'abandon'; key: string }
  /** The publisher is closing: forget it without suspecting a loss. */
  | { type: 'leave' }
  /** Sent periodically with the publisher's last sequence number; reveals gaps when nothing else is sent. */
  | { type: 'heartbeat' };

export interface Envelope {
  format: number;
  origin: string;
  seq: number;
  /** Publisher's wall clock at send, for the lag histogram. */
  sentAt: number;
  /**
   * Publisher's wall clock when one of its publishes last failed (0: never). A receiver that was
   * subscribed then has missed a message no sequence gap may show (see `CacheBus`).
   */
  failedAt: number;
  message: BusMessage;
}

const TYPE_CODES = {
  put: 'p',
  delete: 'd',
  deletePattern: 'm',
  clear: 'c',
  abandon: 'a',
  leave: 'l',
  heartbeat: 'h',
} as const;
const TYPES_BY_CODE = Object.fromEntries(Object.entries(TYPE_CODES).map(([type, code]) => [code, type]));

/**
 * Encodes an envelope as one JSON text. A put's value is spliced in as already-serialised
 * JSON, so a value is stringified once for sizing, L2 and the bus.
 */
export function encodeEnvelope(envelope: Envelope): string {
  const { message } = envelope;
  const failed = envelope.failedAt > 0 ? `,"fa":${envelope.failedAt}` : '';
  const head = `${originPrefix(envelope.origin, envelope.format)}${envelope.seq},"at":${envelope.sentAt}${failed},"t":"${TYPE_CODES[message.type]}"`;
  switch (message.type) {
    case 'put': {
      const supersedes = message.supersedes ? `,"sv":${message.supersedes}` : '';
      const value = message.json === undefined ? '' : `,"d":${message.json}`;
      return `${head},"k":${JSON.stringify(message.key)},"v":${message.version},"x":${message.ttlMs}${supersedes}${value}}`;
    }
    case 'delete':
      return `${head},"k":${JSON.stringify(message.key)},"v":${message.version}}`;
    case 'deletePattern':
      return `${head},"p":${JSON.stringify(message.pattern)},"v":${message.version}}`;
    case 'clear':
      return `${head},"v":${message.version}}`;
    case 'abandon':
      return `${head},"k":${JSON.stringify(message.key)}}`;
    case 'leave':
    case 'heartbeat':
      return `${head}}`;
  }
}

/** How every payload from `origin` begins, up to its sequence number. */
export function originPrefix(origin: string, format = WIRE_FORMAT): string {
  return `{"f":${format},"o":${JSON.stringify(origin)},"s":`;
}

/**
 * The send time of a payload that begins with `prefix` (an `originPrefix`), read off its head
 * without parsing the rest; undefined for any other payload. A publisher hears each of its own
 * messages back and needs nothing else from it, so it skips parsing the value it just sent.
 */
export function sentAtOf(payload: string, prefix: string): number | undefined {
  if (!payload.startsWith(prefix)) return undefined;
  // `"at"` follows the sequence number and is followed by more fields (`"t"` at least).
  const start = payload.indexOf(',"at":', prefix.length) + 6;
  return Number(payload.slice(start, payload.indexOf(',', start)));
}

/**
 * Where a logged message sits in the replay log (see `ReplayLog`): the stream entry's id and
 * its number in the log (1, 2, 3... per log epoch). The log's script puts both at the head of
 * the payload it publishes, `{"i":"<id>","n":<n>,` followed by the envelope's fields, so
 * receivers of the previous release, which ignore unknown fields, still read the message.
 */
export interface LogMark {
  id: string;
  n: number;
}

const LOG_HEAD = '{"i":"';

/** The log mark at the head of a published payload and the envelope without it, or none. */
export function splitLogMark(payload: string): { mark: LogMark | undefined; envelope: string } {
  if (!payload.startsWith(LOG_HEAD)) return { mark: undefined, envelope: payload };
  const idEnd = payload.indexOf('"', LOG_HEAD.length);
  const nStart = idEnd + 6; // `","n":`
  const nEnd = payload.indexOf(',', nStart);
  const n = Number(payload.slice(nStart, nEnd));
  if (idEnd < 0 || nEnd < 0 || !Number.isSafeInteger(n)) return { mark: undefined, envelope: payload };
  return { mark: { id: payload.slice(LOG_HEAD.length, idEnd), n }, envelope: `{${payload.slice(nEnd + 1)}` };
}

/**
 * What the replay log keeps of a payload: a put with a value larger than `maxValueBytes` without
 * it (peers that replay it drop their copy and read the source if asked), everything else as it
 * is. Small values ride the log, so a repaired replica keeps the fills and writes it missed warm.
 */
export function loggedForm(payload: string, message: BusMessage, maxValueBytes: number): string {
  if (message.type !== 'put' || message.json === undefined || message.json.length <= maxValueBytes)
    return payload;
  return `${payload.slice(0, payload.indexOf(',"d":'))}}`;
}

/** A decoded message. For a put, `carried` says whether the value came along, parsed into `value`. */
export interface Decoded {
  envelope: Envelope;
  carried: boolean;
  value: unknown;
  /** Length of the value's JSON, read off the payload without re-serialising it. */
  size: number;
}

/** Decodes a payload, or returns a reason it cannot be trusted: `format` (another wire version) or `malformed`. */
export function decodeEnvelope(payload: string): Decoded | 'format' | 'malformed' {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(payload) as Record<string, unknown>;
  } catch {
    return 'malformed';
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'malformed';
  if (raw['f'] !== WIRE_FORMAT) return 'format';
  const {
    o: origin,
    s: seq,
    at: sentAt,
    t: code,
    k: key,
    p: pattern,
    v: version,
    x: ttlMs,
    sv: supersedes,
    fa: failedAt = 0,
  } = raw;
  if (
    typeof origin !== 'string' ||
    !isCount(seq) ||
    typeof sentAt !== 'number' ||
    typeof failedAt !== 'number'
  )
    return 'malformed';
  const message = readMessage(TYPES_BY_CODE[String(code)], key, pattern, version, ttlMs, supersedes);
  if (message === undefined) return 'malformed';
  return {
    envelope: { format: WIRE_FORMAT, origin, seq, sentAt, failedAt, message },
    carried: 'd' in raw,
    value: raw['d'],
    size: valueSize(payload),
  };
}

function readMessage(
  type: string | undefined,
  key: unknown,
  pattern: unknown,
  version: unknown,
  ttlMs: unknown,
  supersedes: unknown,
): BusMessage | undefined {
  if (type === 'heartbeat' || type === 'leave') return { type };
  if (type === 'abandon') return typeof key === 'string' ? { type, key } : undefined;
  if (typeof version !== 'number') return undefined;
  if (type === 'put' && typeof key === 'string' && typeof ttlMs === 'number') {
    return typeof supersedes === 'number'
      ? { type, key, version, ttlMs, supersedes }
      : { type, key, version, ttlMs };
  }
  if (type === 'delete' && typeof key === 'string') return { type, key, version };
  if (type === 'deletePattern' && typeof pattern === 'string') return { type, pattern, version };
  if (type === 'clear') return { type, version };
  return undefined;
}

/**
 * The value is the last field, spliced in as `,"d":<json>}`; every field before it is a number or
 * a JSON string (whose quotes are escaped), so the first `,"d":` is the value's.
 */
function valueSize(payload: string): number {
  const start = payload.indexOf(',"d":');
  return start === -1 ? 0 : payload.length - (start + 5) - 1;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
