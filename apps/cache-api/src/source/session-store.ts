import { randomBytes } from 'node:crypto';
import { SOURCE_PREFIX, type SourceOfRecord } from './source-of-record';

/** A login session as seed 002 describes it: user id, token, expiry. */
export interface Session {
  token: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
}

/**
 * Login sessions kept in Redis under `source:session:<token>` with an expiry, so Redis removes
 * them when they run out even if nobody logs out.
 *
 * A token is 24 random bytes (base64url) followed by `.` and its expiry in base-36 epoch
 * milliseconds. Carrying the expiry lets a replica cache a session for no longer than its
 * remaining life before loading it, and refuse an expired token without a Redis call. A client
 * that edits the expiry part only gets a token that does not exist.
 */
export class SessionStore {
  constructor(private readonly source: SourceOfRecord) {}

  async create(userId: string, ttlSeconds: number): Promise<Session> {
    const now = Date.now();
    const expiresAt = now + ttlSeconds * 1000;
    const token = `${randomBytes(24).toString('base64url')}.${expiresAt.toString(36)}`;
    const session: Session = {
      token,
      userId,
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(expiresAt).toISOString(),
    };
    await this.source.run('sessions.create', (redis) =>
      redis.set(keyOf(token), JSON.stringify(session), 'PXAT', expiresAt, 'NX'),
    );
    return session;
  }

  async find(token: string): Promise<Session | undefined> {
    const json = await this.source.run('sessions.get', (redis) => redis.get(keyOf(token)));
    return json === null ? undefined : (JSON.parse(json) as Session);
  }

  /** True when the session existed. */
  async delete(token: string): Promise<boolean> {
    return (await this.source.run('sessions.delete', (redis) => redis.del(keyOf(token)))) === 1;
  }
}

const TOKEN = /^[A-Za-z0-9_-]{32}\.([0-9a-z]{1,11})$/;

/** The expiry a token carries (epoch ms), or undefined when it is not one of our tokens. */
export function expiryOf(token: string): number | undefined {
  const match = TOKEN.exec(token);
  return match ? parseInt(match[1]!, 36) : undefined;
}

function keyOf(token: string): string {
  return `${SOURCE_PREFIX}session:${token}`;
}
