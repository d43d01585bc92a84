import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { waitFor } from '@clustache/testing';
import { Replicas } from './support/replicas';
import { Workload } from './support/workload';

/**
 * The soak: three replicas under steady reads and writes for SOAK_SECONDS, Redis killed and
 * restarted every SOAK_RESTART_EVERY_SECONDS, a checker that knows every write. It holds when no
 * read is stale, none fails, L1 stays within its bounds at every sample, and the heap is flat.
 * `npm test` runs it as a 12 s smoke; `npm run soak` runs 30 minutes and writes docs/benchmarks.md.
 */
const SECONDS = Number(process.env['SOAK_SECONDS'] ?? 12);
const RESTART_EVERY_SECONDS = Number(process.env['SOAK_RESTART_EVERY_SECONDS'] ?? 4);
const REPORT = process.env['SOAK_REPORT'] === '1';
const BOUNDS = { maxEntries: 300, maxBytes: 32 * 1024 };
const HEARTBEAT_MS = 100;
const MAX_LAG_MS = 300;

// The live heap, after a full collection: `heapUsed` alone also counts garbage not yet collected,
// which swings by 100 MB between samples under this load and says nothing about a leak.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const liveHeapMb = () => {
  collectGarbage();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

describe('soak', () => {
  it(
    `${SECONDS} s of steady load with a Redis restart every ${RESTART_EVERY_SECONDS} s`,
    async () => {
      const replicas = await Replicas.start();
      try {
        const caches = await replicas.many<number>(3, {
          bus: { heartbeatMs: HEARTBEAT_MS, maxLagMs: MAX_LAG_MS },
          l1: BOUNDS,
          ttlMs: 30_000,
        });
        const workload = new Workload(
          caches,
          { keys: 2000, writeEveryMs: 2, readers: 4 },
          MAX_LAG_MS + HEARTBEAT_MS + 30,
        );
        const started = Date.now();
        const samples: { entries: number; bytes: number }[] = [];
        const heapMb: number[] = [liveHeapMb()];
        const recoveries: number[] = [];
        let restarts = 0;
        workload.start();
        while (Date.now() - started < SECONDS * 1000) {
          const until = Math.min(started + SECONDS * 1000, Date.now() + RESTART_EVERY_SECONDS * 1000);
          while (Date.now() < until) {
            await new Promise((resolve) => setTimeout(resolve, 250));
            for (const cache of caches) {
              samples.push({ entries: cache.l1Entries, bytes: cache.l1Bytes });
            }
          }
          heapMb.push(liveHeapMb());
          if (Date.now() - started >= SECONDS * 1000) break;
          await replicas.redis.kill();
          await replicas.redis.restart();
          const killedAt = Date.now();
          await waitFor(() => caches.every((cache) => cache.isReady), {
            timeoutMs: 15_000,
            description: 'recovery',
          });
          recoveries.push(Date.now() - killedAt);
          restarts++;
          if (REPORT || restarts % 10 === 0) {
            process.stdout.write(
              `soak ${((Date.now() - started) / 1000).toFixed(0)} s: ${workload.checker.reads} reads, ${workload.checker.staleReads} stale, ${restarts} restarts\n`,
            );
          }
        }
        await workload.stop();

        const { reads, staleReads, readErrors, examples, errorExamples } = workload.checker;
        const third = Math.max(1, Math.floor(heapMb.length / 3));
        const mean = (part: number[]) => part.reduce((sum, value) => sum + value, 0) / part.length;
        const result = {
          seconds: SECONDS,
          reads,
          writes: workload.writes,
          restarts,
          staleReads,
          readErrors,
          maxEntries: Math.max(...samples.map((s) => s.entries)),
          maxBytes: Math.max(...samples.map((s) => s.bytes)),
          heapFirstThirdMb: mean(heapMb.slice(0, third)),
          heapLastThirdMb: mean(heapMb.slice(-third)),
          worstRecoveryMs: Math.max(0, ...recoveries),
        };
        console.log('soak result', JSON.stringify(result));
        if (REPORT) writeReport(result);

        expect({ staleReads, examples }).toEqual({ staleReads: 0, examples: [] });
        expect({ readErrors, errorExamples }).toEqual({ readErrors: 0, errorExamples: [] });
        expect(reads).toBeGreaterThan(SECONDS * 200);
        // each cycle is RESTART_EVERY_SECONDS of load plus the restart itself (well under a second)
        expect(restarts).toBeGreaterThanOrEqual(Math.floor(SECONDS / (RESTART_EVERY_SECONDS + 1)));
        expect(result.maxEntries).toBeLessThanOrEqual(BOUNDS.maxEntries);
        expect(result.maxBytes).toBeLessThanOrEqual(BOUNDS.maxBytes);
        expect(result.heapLastThirdMb).toBeLessThan(result.heapFirstThirdMb + 32); // live heap: no growth beyond noise
      } finally {
        await replicas.cleanup();
      }
    },
    (SECONDS + 120) * 1000,
  );
});

/** Replaces the `## Soak` section of docs/benchmarks.md (outside the engine block). */
function writeReport(result: Record<string, number>): void {
  const file = join(__dirname, '..', '..', '..', 'docs', 'benchmarks.md');
  const section = [
    '## Soak',
    '',
    `Three replicas in one process on a real redis-server, ${(result['seconds']! / 60).toFixed(0)} minutes of steady load (4 readers, a write every 2 ms,`,
    `2000 zipf-popular keys, half the writes \`set\`, half \`delete\`), Redis killed and restarted every ${RESTART_EVERY_SECONDS} s,`,
    `L1 bounded to ${BOUNDS.maxEntries} entries / ${BOUNDS.maxBytes / 1024} KiB, staleness bound ${MAX_LAG_MS} ms; every read checked against every write.`,
    '',
    '| reads | writes | Redis restarts | stale reads | failed reads | max L1 entries | max L1 bytes | heap, first third → last third | worst recovery |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    `| ${result['reads']} | ${result['writes']} | ${result['restarts']} | ${result['staleReads']} | ${result['readErrors']} | ${result['maxEntries']} | ${result['maxBytes']} | ${result['heapFirstThirdMb']!.toFixed(1)} → ${result['heapLastThirdMb']!.toFixed(1)} MB | ${result['worstRecoveryMs']} ms |`,
    '',
    `Measured ${new Date().toISOString().slice(0, 16)} UTC. Reproduce: \`npm run soak\` (SOAK_SECONDS, SOAK_RESTART_EVERY_SECONDS to change it).`,
    '',
  ].join('\n');
  const doc = readFileSync(file, 'utf8');
  const start = doc.indexOf('## Soak');
  const next = start === -1 ? -1 : doc.indexOf('\n## ', start + 1);
  const updated =
    start === -1
      ? `${doc.trimEnd()}\n\n${section}`
      : `${doc.slice(0, start)}${section}${next === -1 ? '' : doc.slice(next + 1)}`;
  writeFileSync(file, updated);
}
