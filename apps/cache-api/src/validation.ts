import { BadRequestError } from './errors';

/** Longest id accepted in a path or body (items, data, session tokens, user ids). */
export const MAX_ID_LENGTH = 128;

// C0 and C1 control characters and DEL: never part of an id, often a sign of injection.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** An id from a path or body: a string of 1..128 characters without control characters. */
export function parseId(value: unknown, what = 'id'): string {
  if (typeof value !== 'string') throw new BadRequestError('INVALID_ID', `${what} must be a string`);
  if (value.length === 0 || value.length > MAX_ID_LENGTH) {
    throw new BadRequestError(
      'INVALID_ID',
      `${what} must be 1 to ${MAX_ID_LENGTH} characters long; got ${value.length}`,
    );
  }
  if (CONTROL.test(value))
    throw new BadRequestError('INVALID_ID', `${what} must not contain control characters`);
  return value;
}

export function hasControlCharacters(value: string): boolean {
  return CONTROL.test(value);
}

interface Bounds {
  min?: number;
  max?: number;
}

/**
 * Reads the fields of a JSON object body one by one, each with its type and bounds, and
 * rejects fields nobody asked for (`done()`), so typos fail loudly instead of being ignored.
 * Every failure is a 400 whose message names the field and what it accepts.
 */
export class Fields {
  private readonly seen = new Set<string>();

  private constructor(private readonly body: Record<string, unknown>) {}

  /** The request body as an object, or a 400 when it is an array, a primitive or absent. */
  static of(body: unknown): Fields {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new BadRequestError('INVALID_BODY', 'the body must be a JSON object');
    }
    return new Fields(body as Record<string, unknown>);
  }

  has(name: string): boolean {
    return this.body[name] !== undefined;
  }

  /** The raw value of a required field, for a parser of its own (e.g. cache keys). */
  value(name: string): unknown {
    return this.take(name);
  }

  /** A string of `min`..`max` characters (default 1..256) without control characters. */
  string(name: string, { min = 1, max = 256 }: Bounds = {}): string {
    const value = this.take(name);
    if (typeof value !== 'string') throw this.invalid(name, 'a string');
    if (value.length < min || value.length > max)
      throw this.invalid(name, `${min} to ${max} characters long`);
    if (CONTROL.test(value)) throw this.invalid(name, 'free of control characters');
    return value;
  }

  /** A finite number within bounds. */
  number(name: string, { min = -Number.MAX_VALUE, max = Number.MAX_VALUE }: Bounds = {}): number {
    const value = this.take(name);
    if (typeof value !== 'number' || !Number.isFinite(value)) throw this.invalid(name, 'a number');
    if (value < min || value > max) throw this.invalid(name, `between ${min} and ${max}`);
    return value;
  }

  /** A safe integer within bounds. */
  integer(name: string, bounds: Bounds = {}): number {
    const value = this.number(name, bounds);
    if (!Number.isSafeInteger(value)) throw this.invalid(name, 'an integer');
    return value;
  }

  /** An id (see `parseId`). */
  id(name: string): string {
    return parseId(this.take(name), name);
  }

  /** A non-empty array of ids, at most `max` of them. */
  ids(name: string, max: number): string[] {
    const value = this.take(name);
    if (!Array.isArray(value) || value.length === 0 || value.length > max) {
      throw this.invalid(name, `an array of 1 to ${max} ids`);
    }
    return value.map((id, i) => parseId(id, `${name}[${i}]`));
  }

  /** `read(name)` when the field is present, else `fallback`. */
  optional<T, F>(name: string, read: (name: string) => T, fallback: F): T | F {
    this.seen.add(name);
    return this.has(name) ? read(name) : fallback;
  }

  /** Rejects fields that were not read. */
  done(): void {
    const unknown = Object.keys(this.body).filter((name) => !this.seen.has(name));
    if (unknown.length > 0) {
      throw new BadRequestError('UNKNOWN_FIELD', `unknown field(s): ${unknown.join(', ')}`);
    }
  }

  private take(name: string): unknown {
    this.seen.add(name);
    const value = this.body[name];
    if (value === undefined) throw new BadRequestError('MISSING_FIELD', `field "${name}" is required`);
    return value;
  }

  private invalid(name: string, expected: string): BadRequestError {
    return new BadRequestError('INVALID_FIELD', `field "${name}" must be ${expected}`);
  }
}
