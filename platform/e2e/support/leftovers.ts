import { readdir, readFile } from 'node:fs/promises';
import { isPortFree } from '../../src/net';

/** Ports among these that something still listens on. */
export async function busyPorts(ports: number[]): Promise<number[]> {
  const busy: number[] = [];
  for (const port of ports) if (!(await isPortFree(port))) busy.push(port);
  return busy;
}

/** Processes whose command line or environment mentions `text` (Linux /proc). */
export async function processesMentioning(text: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const read = (file: string) => readFile(`/proc/${entry}/${file}`, 'utf8').catch(() => '');
    const cmdline = (await read('cmdline')).replace(/\0/g, ' ');
    if (cmdline.includes(text) || (await read('environ')).includes(text))
      found.push(`${entry} ${cmdline.trim()}`);
  }
  return found;
}
