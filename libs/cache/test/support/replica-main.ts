/**
 * One replica in its own process, driven by its parent over IPC: the engine as a pod would run
 * it. Its loader answers `<key>@<replicaId>` so the parent can tell who loaded a value.
 */
import { Registry } from 'prom-client';
import { createCache, silentLogger } from '../../src';

type Command = {
  id: number;
  op: 'lookup' | 'set' | 'delete' | 'deleteByPattern' | 'stats' | 'entries';
  key?: string;
  value?: string;
};

const replicaId = process.env['REPLICA_ID'] ?? `replica-${process.pid}`;
const cache = createCache<string>({
  name: 'multi',
  redis: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
  replicaId,
  registry: new Registry(),
  logger: silentLogger,
  bus: { heartbeatMs: 200 },
});
let loads = 0;

async function handle(command: Command): Promise<unknown> {
  const key = command.key ?? '';
  switch (command.op) {
    case 'lookup':
      return cache.lookup(key, async () => {
        loads++;
        return `${key}@${replicaId}`;
      });
    case 'set':
      return cache.set(key, command.value ?? '');
    case 'delete':
      return cache.delete(key);
    case 'deleteByPattern':
      return cache.deleteByPattern(key);
    case 'stats':
      return { loads, ...cache.stats, entries: cache.l1Entries, ready: cache.isReady };
    case 'entries':
      return cache.l1Entries;
  }
}

process.on('message', (command: Command) => {
  handle(command).then(
    (result) => process.send?.({ id: command.id, result }),
    (error: Error) => process.send?.({ id: command.id, error: error.message }),
  );
});
process.on('disconnect', () => void cache.close().finally(() => process.exit(0)));
void cache.ready(15_000).then(() => process.send?.({ id: 0, result: 'ready' }));
