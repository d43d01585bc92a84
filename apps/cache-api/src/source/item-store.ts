import { execAll } from '@clustache/service';
import { SOURCE_PREFIX, type SourceOfRecord } from './source-of-record';

/** An item as in seed 003, plus the source's revision counter (bumped on every write). */
export interface Item {
  id: string;
  name: string;
  price: number;
  category: string;
  stock: number;
  revision: number;
  updatedAt: string;
}

/** The fields a client may set. */
export type ItemFields = Pick<Item, 'name' | 'price' | 'category' | 'stock'>;

// Creates only if absent, then returns the whole hash.
const CREATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
redis.call('HSET', KEYS[1], unpack(ARGV))
redis.call('HSET', KEYS[1], 'revision', 1)
return redis.call('HGETALL', KEYS[1])`;

// Updates only if present, bumps the revision, returns the whole hash: one atomic step.
const UPDATE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
redis.call('HSET', KEYS[1], unpack(ARGV))
redis.call('HINCRBY', KEYS[1], 'revision', 1)
return redis.call('HGETALL', KEYS[1])`;

/**
 * The items' source of record: one Redis hash per item under `source:item:<id>`, shared by all
 * replicas. Creates and updates are Lua scripts so "exists?", "write" and "read back with the
 * new revision" are one atomic step; the revision lets a writer notice that someone wrote after it.
 */
export class ItemStore {
  constructor(private readonly source: SourceOfRecord) {}

  async find(id: string): Promise<Item | undefined> {
    const hash = await this.source.run('items.get', (redis) => redis.hgetall(keyOf(id)));
    return toItem(hash);
  }

  /** Every id in one pipelined round trip; absent items are left out of the map. */
  async findMany(ids: readonly string[]): Promise<Map<string, Item>> {
    const hashes = await this.source.run('items.getMany', async (redis) => {
      const pipeline = redis.pipeline();
      for (const id of ids) pipeline.hgetall(keyOf(id));
      return (await execAll(pipeline)) as Record<string, string>[];
    });
    const items = new Map<string, Item>();
    ids.forEach((id, i) => {
      const item = toItem(hashes[i]);
      if (item !== undefined) items.set(id, item);
    });
    return items;
  }

  /** The new item, or undefined when the id is taken. */
  async create(id: string, fields: ItemFields): Promise<Item | undefined> {
    const args = flatten({ id, ...fields, updatedAt: new Date().toISOString() });
    const hash = await this.source.run('items.create', (redis) => redis.eval(CREATE, 1, keyOf(id), ...args));
    return toItem(pairs(hash));
  }

  /** The updated item, or undefined when there is no such item. */
  async update(id: string, fields: Partial<ItemFields>): Promise<Item | undefined> {
    const args = flatten({ ...fields, updatedAt: new Date().toISOString() });
    const hash = await this.source.run('items.update', (redis) => redis.eval(UPDATE, 1, keyOf(id), ...args));
    return toItem(pairs(hash));
  }

  /** True when the item existed. */
  async delete(id: string): Promise<boolean> {
    return (await this.source.run('items.delete', (redis) => redis.del(keyOf(id)))) === 1;
  }

  /** The current revision, or undefined when the item is gone. */
  async revision(id: string): Promise<number | undefined> {
    const revision = await this.source.run('items.revision', (redis) => redis.hget(keyOf(id), 'revision'));
    return revision === null ? undefined : Number(revision);
  }
}

function keyOf(id: string): string {
  return `${SOURCE_PREFIX}item:${id}`;
}

function flatten(fields: Record<string, string | number | undefined>): string[] {
  return Object.entries(fields).flatMap(([name, value]) =>
    value === undefined ? [] : [name, String(value)],
  );
}

/** A Lua reply of HGETALL (a flat array) as an object; `false` (nil) as undefined. */
function pairs(reply: unknown): Record<string, string> | undefined {
  if (!Array.isArray(reply)) return undefined;
  const hash: Record<string, string> = {};
  for (let i = 0; i + 1 < reply.length; i += 2) hash[String(reply[i])] = String(reply[i + 1]);
  return hash;
}

function toItem(hash: Record<string, string> | undefined): Item | undefined {
  if (hash === undefined || hash['id'] === undefined) return undefined;
  return {
    id: hash['id'],
    name: hash['name'] ?? '',
    price: Number(hash['price']),
    category: hash['category'] ?? '',
    stock: Number(hash['stock'] ?? 0),
    revision: Number(hash['revision'] ?? 0),
    updatedAt: hash['updatedAt'] ?? '',
  };
}
