import type { IRouter } from 'express';
import { itemKey } from '../cache-keys';
import type { ApiContext } from '../context';
import { BadRequestError, ConflictError, NotFoundError } from '../errors';
import { setCacheHeaders } from '../http/cache-headers';
import { sendCachedJson } from '../http/json-response';
import { jsonBody } from '../http/json-body';
import { allowOnly } from '../http/method-guard';
import type { Item, ItemFields } from '../source/item-store';
import { Fields, parseId } from '../validation';

/** Most ids one `POST /items/batch` may ask for. */
export const MAX_BATCH_IDS = 100;

/**
 * Seed 003's cache-aside item API on the coherent cache. Reads go through the cache under
 * `item:<id>`. Writes update the source of record first, then the cache, and answer only after
 * the cache call resolved, so the write is visible on every replica once the response is sent
 * (plus the bus lag): creates and updates write through (the new value is published to every
 * replica), deletes invalidate.
 */
export function itemRoutes(router: IRouter, { cache, items }: ApiContext): void {
  /**
   * Writes the item through to every replica. Two writers can reach the cache in the opposite
   * order to the source; if the source's revision moved on after ours, our value may be the
   * older one, so it is invalidated instead and the next read loads the winner.
   */
  async function writeThrough(item: Item): Promise<void> {
    await cache.set(itemKey(item.id), item);
    if ((await items.revision(item.id)) !== item.revision) await cache.delete(itemKey(item.id));
  }

  router
    .route('/items')
    .post(jsonBody, async (req, res) => {
      const body = Fields.of(req.body);
      const id = body.id('id');
      const fields: ItemFields = {
        name: body.string('name'),
        price: body.number('price', { min: 0, max: 1e12 }),
        category: body.optional('category', (name) => body.string(name, { min: 0, max: 128 }), ''),
        stock: body.optional('stock', (name) => body.integer(name, { min: 0, max: 1e9 }), 0),
      };
      body.done();
      const item = await items.create(id, fields);
      if (item === undefined)
        throw new ConflictError(
          'ITEM_EXISTS',
          `item "${id}" already exists; use PUT /items/:id to change it`,
        );
      await writeThrough(item);
      res
        .status(201)
        .location(`/items/${encodeURIComponent(id)}`)
        .json(item);
    })
    .all(allowOnly('POST'));

  // Only POST: other methods fall through to /items/:id, where "batch" is an ordinary id.
  router.post('/items/batch', jsonBody, async (req, res) => {
    const body = Fields.of(req.body);
    const ids = [...new Set(body.ids('ids', MAX_BATCH_IDS))];
    body.done();
    const found = await cache.lookupMany(ids.map(itemKey), async (keys) => {
      const loaded = await items.findMany(keys.map(idOf));
      return new Map([...loaded].map(([id, item]) => [itemKey(id), item]));
    });
    const result = { items: [] as Item[], missing: [] as string[], hits: 0, misses: 0 };
    for (const id of ids) {
      const { value, from } = found.get(itemKey(id)) ?? { value: undefined, from: undefined };
      if (from === 'own' || from === 'subscription') result.hits++;
      else result.misses++;
      if (value === undefined) result.missing.push(id);
      else result.items.push(value as Item);
    }
    res.setHeader('X-Cache-Status', result.misses === 0 ? 'HIT' : 'MISS');
    res.json(result);
  });

  router
    .route('/items/:id')
    .get(async (req, res) => {
      const id = parseId(req.params['id']);
      const { value, from } = await cache.lookup(itemKey(id), () => items.find(id));
      setCacheHeaders(res, from);
      if (value === undefined) throw new NotFoundError('ITEM_NOT_FOUND', `no item "${id}"`);
      sendCachedJson(res, value as Item);
    })
    .put(jsonBody, async (req, res) => {
      const id = parseId(req.params['id']);
      const body = Fields.of(req.body);
      if (body.optional('id', (name) => body.id(name), id) !== id) {
        throw new BadRequestError(
          'INVALID_FIELD',
          'field "id" must match the id in the path (ids cannot change)',
        );
      }
      const fields: Partial<ItemFields> = {
        name: body.optional('name', (name) => body.string(name), undefined),
        price: body.optional('price', (name) => body.number(name, { min: 0, max: 1e12 }), undefined),
        category: body.optional('category', (name) => body.string(name, { min: 0, max: 128 }), undefined),
        stock: body.optional('stock', (name) => body.integer(name, { min: 0, max: 1e9 }), undefined),
      };
      body.done();
      if (Object.values(fields).every((value) => value === undefined)) {
        throw new BadRequestError(
          'MISSING_FIELD',
          'send at least one of "name", "price", "category", "stock"',
        );
      }
      const item = await items.update(id, fields);
      if (item === undefined) throw new NotFoundError('ITEM_NOT_FOUND', `no item "${id}"`);
      await writeThrough(item);
      res.json(item);
    })
    .delete(async (req, res) => {
      const id = parseId(req.params['id']);
      const existed = await items.delete(id);
      await cache.delete(itemKey(id));
      if (!existed) throw new NotFoundError('ITEM_NOT_FOUND', `no item "${id}"`);
      res.status(204).end();
    })
    .all(allowOnly('GET', 'PUT', 'DELETE'));
}

function idOf(key: string): string {
  return key.slice('item:'.length);
}
