/** The wire format's version; receivers treat any other as unreadable (see `CacheBus`). */
export declare const WIRE_FORMAT = 1;
/**
 * What travels on the bus. Every message names its publisher (`origin`, unique per cache
 * instance) and that publisher's sequence number, so receivers can tell a gap from a lost
 * message. Field names are short because every replica decodes every message.
 */
export type BusMessage = 
/** A value was loaded or written. `json` absent: too large to send, peers drop their copy. */
{
    type: 'put';
    key: string;
    version: number;
    ttlMs: number;
    json?: string;
} | {
    type: 'delete';
    key: string;
    version: number;
} | {
    type: 'deletePattern';
    pattern: string;
    version: number;
} | {
    type: 'clear';
    version: number;
}
/** Sent periodically with the publisher's last sequence number; reveals gaps when nothing else is sent. */
 | {
    type: 'heartbeat';
};
export interface Envelope {
    format: number;
    origin: string;
    seq: number;
    /** Publisher's wall clock at send, for the lag histogram. */
    sentAt: number;
    message: BusMessage;
}
/**
 * Encodes an envelope as one JSON text. A put's value is spliced in as already-serialised
 * JSON, so a value is stringified once for sizing, L2 and the bus.
 */
export declare function encodeEnvelope(envelope: Envelope): string;
/** A decoded message. For a put, `carried` says whether the value came along, parsed into `value`. */
export interface Decoded {
    envelope: Envelope;
    carried: boolean;
    value: unknown;
    /** Payload length: what the value costs in L1, close enough without re-serialising it. */
    size: number;
}
/** Decodes a payload, or returns a reason it cannot be trusted: `format` (another wire version) or `malformed`. */
export declare function decodeEnvelope(payload: string): Decoded | 'format' | 'malformed';
//# sourceMappingURL=message.d.ts.map