import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Express } from 'express';
import { dataKey } from '../cache-keys';
import type { ApiContext } from '../context';
import { setCacheHeaders } from '../http/cache-headers';
import { writeCachedJson } from '../http/json-response';
import type { DataRecord } from '../source/data-backend';
import { MAX_ID_LENGTH } from '../validation';
import { DATA_ROUTE } from './data';

/** What every response gets first (request timing, instance headers); `route` labels the timing. */
export type StartResponse = (req: IncomingMessage, res: ServerResponse, route?: string) => void;

const PREFIX = '/data/';
// Ids taken as they stand: unreserved URL characters only, so nothing needs %-decoding and
// `parseId` could not refuse them. Anything else goes through Express and its validation.
const PLAIN_ID = new RegExp(`^[A-Za-z0-9._~-]{1,${MAX_ID_LENGTH}}$`);
const notFresh = () => false;

/**
 * `GET /data/:id` (and HEAD) answered before Express, the service's hottest path. An L1 hit costs
 * a few microseconds; Express's per-request work around it (request and response prototypes, the
 * router's walk, its layers) costs several times that, so answering plain requests here is what
 * lets a hit outrun a framework that does nothing. The response is the data route's, byte for
 * byte: the same `StartResponse`, cache headers and cached JSON writer, timed under the route
 * label `/data/:id`. The engine has no synchronous L1 read (its `lookup` starts the load on a
 * miss), so misses are answered here too, the same way; a lookup that fails is handed to Express
 * (see `failureOf`) so its error response comes from the one error handler. Conditional requests
 * (304s need Express's freshness check) and ids that need decoding or validating fall through.
 */
export class DataFastPath {
  private readonly failures = new WeakMap<IncomingMessage, { error: unknown }>();
  private readonly etagOf: unknown;

  constructor(
    private readonly context: ApiContext,
    private readonly start: StartResponse,
    private readonly app: Express,
  ) {
    this.etagOf = app.get('etag fn');
  }

  /** The HTTP server's request listener: plain data reads here, everything else to Express. */
  readonly listener: RequestListener = (req, res) => {
    const id = plainDataId(req);
    if (id === undefined) this.app(req, res);
    else void this.answer(req, res, id);
  };

  /**
   * The failure of a lookup this path handed to Express, which the app's first middleware passes
   * on to the error handler (the request is already timed and stamped); undefined for all others.
   */
  failureOf(req: IncomingMessage): { error: unknown } | undefined {
    return this.failures.get(req);
  }

  private async answer(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    this.start(req, res, DATA_ROUTE);
    try {
      const { value, from } = await this.context.cache.lookup(dataKey(id), () => this.context.data.load(id));
      setCacheHeaders(res, from);
      writeCachedJson(req, res, value as DataRecord, this.etagOf, notFresh);
    } catch (error) {
      this.failures.set(req, { error });
      this.app(req, res);
    }
  }
}

/** The id of an unconditional `GET`/`HEAD /data/<plain id>[?query]`, else undefined. */
function plainDataId(req: IncomingMessage): string | undefined {
  if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
  const url = req.url!;
  if (!url.startsWith(PREFIX)) return undefined;
  const { headers } = req;
  if (headers['if-none-match'] !== undefined || headers['if-modified-since'] !== undefined) return undefined;
  const query = url.indexOf('?', PREFIX.length);
  const id = url.slice(PREFIX.length, query === -1 ? undefined : query);
  return PLAIN_ID.test(id) ? id : undefined;
}
