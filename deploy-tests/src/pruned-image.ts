import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Copies what an image's Dockerfile copies out of its pruned build context into an empty folder
 * and installs production dependencies the way the Dockerfile's deps stage does: the closest
 * this machine (no Docker engine) comes to running the image. Returns the folder.
 */
export async function installAlone(contextDir: string): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), 'clustache-image-'));
  for (const entry of ['package.json', 'package-lock.json', 'workspace_modules', 'dist'])
    cpSync(join(contextDir, entry), join(folder, entry), { recursive: true });
  // --prefer-offline on top of the Dockerfile's flags, for CI's npm cache.
  await promisify(execFile)(
    'npm',
    ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'],
    { cwd: folder, maxBuffer: 16 * 1024 * 1024 },
  );
  return folder;
}
