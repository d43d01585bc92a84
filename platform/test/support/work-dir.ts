import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temp folder with a logs/ subfolder, as the platform's work folder; remove() deletes it. */
export async function workDir(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'clustache-platform-test-'));
  await mkdir(join(path, 'logs'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Supervision events a test does not look at. */
export const quietSupervision = { exited: () => undefined, restarted: () => undefined };
