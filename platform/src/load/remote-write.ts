/**
 * A minimal Prometheus remote-write client: the protobuf `WriteRequest` encoded by hand (labels,
 * float samples) and wrapped in a snappy block made of literals, which every snappy decoder
 * accepts. Enough to push a few dozen series every few seconds, as k6's remote-write output does.
 */

export interface Series {
  /** Must include `__name__`. */
  labels: Record<string, string>;
  value: number;
  timestampMs: number;
}

class ProtoWriter {
  private readonly bytes: number[] = [];

  varint(value: number): this {
    let rest = value;
    while (rest >= 0x80) {
      this.bytes.push(rest % 0x80 | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    this.bytes.push(rest);
    return this;
  }

  /** A length-delimited field (wire type 2). */
  field(number: number, payload: Uint8Array): this {
    this.varint((number << 3) | 2).varint(payload.length);
    for (const byte of payload) this.bytes.push(byte);
    return this;
  }

  string(number: number, text: string): this {
    return this.field(number, new TextEncoder().encode(text));
  }

  /** A double field (wire type 1, little-endian). */
  double(number: number, value: number): this {
    this.varint((number << 3) | 1);
    const buffer = Buffer.alloc(8);
    buffer.writeDoubleLE(value);
    for (const byte of buffer) this.bytes.push(byte);
    return this;
  }

  /** A non-negative int64 field (wire type 0). */
  int64(number: number, value: number): this {
    return this.varint(number << 3).varint(value);
  }

  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** prometheus.WriteRequest { repeated TimeSeries timeseries = 1; } with labels sorted by name. */
export function encodeWriteRequest(series: Series[]): Uint8Array {
  const request = new ProtoWriter();
  for (const one of series) {
    const timeSeries = new ProtoWriter();
    for (const name of Object.keys(one.labels).sort()) {
      timeSeries.field(1, new ProtoWriter().string(1, name).string(2, one.labels[name]!).done());
    }
    timeSeries.field(2, new ProtoWriter().double(1, one.value).int64(2, one.timestampMs).done());
    request.field(1, timeSeries.done());
  }
  return request.done();
}

/** A snappy block of `data`: its length, then the bytes as literals (no back-references). */
export function snappyLiteralBlock(data: Uint8Array): Buffer {
  const header = new ProtoWriter().varint(data.length).done();
  const parts: Buffer[] = [Buffer.from(header)];
  const CHUNK = 65_536;
  for (let offset = 0; offset < data.length; offset += CHUNK) {
    const chunk = data.subarray(offset, Math.min(offset + CHUNK, data.length));
    const n = chunk.length - 1;
    if (n < 60) parts.push(Buffer.from([n << 2]));
    else if (n < 0x100) parts.push(Buffer.from([60 << 2, n]));
    else parts.push(Buffer.from([61 << 2, n & 0xff, n >> 8]));
    parts.push(Buffer.from(chunk));
  }
  return Buffer.concat(parts);
}

/** Pushes series to a remote-write endpoint such as `http://127.0.0.1:9090/api/v1/write`. */
export async function pushSeries(url: string, series: Series[]): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-protobuf',
      'content-encoding': 'snappy',
      'x-prometheus-remote-write-version': '0.1.0',
    },
    body: snappyLiteralBlock(encodeWriteRequest(series)),
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok)
    throw new Error(`remote write to ${url} answered ${response.status}: ${(await response.text()).trim()}`);
}
