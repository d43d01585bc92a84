/**
 * A fault-table replica in its own process, driven by its parent over IPC (see remote-replica.ts):
 * the engine as a pod runs it. Its loader asks the parent, which holds the source of record.
 * Options come as JSON in `CACHE_OPTIONS`.
 */
import { Registry } from 'prom-client';
import { createCache, silentLogger, type CacheOptions } from '../../src';
import { countRecoveries } from './recovery-counters';

export type Command = {
  id: number;
  op: 'lookup' | 'set' | 'delete' | 'counters' | 'clock';
  key?: string;
  value?: number;
};
export type Loaded = { loaded: number; value?: number; error?: string };
export type Reply = { id: number; result?: unknown; error?: string } | { load: number; key: string };

const options = JSON.parse(process.env['CACHE_OPTIONS'] ?? '{}') as CacheOptions;
const cache = createCache<number>({ ...options, registry: new Registry(), logger: silentLogger });
const counters = countRecoveries(cache);
const send = (message: Reply) => process.send?.(message);

/** Loads waiting for the parent's answer, by load id. */
const loads = new Map<
  number,
  { resolve: (value: number | undefined) => void; reject: (error: Error) => void }
>();
let nextLoad = 1;
const loader = (key: string) =>
  new Promise<number | undefined>((resolve, reject) => {
    const load = nextLoad++;
    loads.set(load, { resolve, reject });
    send({ load, key });
  });

async function handle(command: Command): Promise<unknown> {
  const key = command.key ?? '';
  switch (command.op) {
    case 'lookup':
      return cache.lookup(key, loader);
    case 'set':
      return cache.set(key, command.value ?? 0);
    case 'delete':
      return cache.delete(key);
    case 'counters':
      return counters();
    case 'clock':
      return { now: Date.now(), wallClock: performance.timeOrigin + performance.now() };
  }
}

process.on('message', (message: Command | Loaded) => {
  if ('loaded' in message) {
    const load = loads.get(message.loaded);
    loads.delete(message.loaded);
    if (message.error !== undefined) load?.reject(new Error(message.error));
    else load?.resolve(message.value);
    return;
  }
  handle(message).then(
    (result) => send({ id: message.id, result }),
    (error: Error) => send({ id: message.id, error: `${error.name}: ${error.message}` }),
  );
});
process.on('disconnect', () => void cache.close().finally(() => process.exit(0)));
void cache.ready(15_000).then(
  () => send({ id: 0, result: 'ready' }),
  (error: Error) => send({ id: 0, error: error.message }),
);
