import { createHash } from 'node:crypto';
import { SOURCE_PREFIX, type SourceOfRecord } from './source-of-record';

/** The body of `GET /data/:id`, as in seed 001. */
export interface DataRecord {
  guid: string;
  date_created: string;
}

/**
 * The slow backend behind `/data/:id` (seed 001's groupcache example). Every replica must answer
 * the same body for an id, so the guid is derived from the id (a name-based UUID) and the
 * creation date is recorded once in the source of record with `SET NX GET`: the first load on
 * any replica writes it, every later load reads that same date.
 */
export class DataBackend {
  constructor(private readonly source: SourceOfRecord) {}

  async load(id: string): Promise<DataRecord> {
    const now = new Date().toISOString();
    const created = await this.source.run('data.load', (redis) =>
      redis.set(`${SOURCE_PREFIX}data:${id}`, now, 'NX', 'GET'),
    );
    return { guid: guidOf(id), date_created: created ?? now };
  }
}

/** A version-5-style UUID from the SHA-1 of the id: stable across replicas and restarts. */
export function guidOf(id: string): string {
  const hex = createHash('sha1').update(`clustache:data:${id}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
