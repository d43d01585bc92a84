import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** `npm pack`s a registry package into `dir` (npm's cache makes repeats cheap); returns the tarball. */
export function npmPack(spec, dir) {
  const name = execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', dir], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
    .trim()
    .split('\n')
    .pop();
  if (!name) throw new Error(`npm pack ${spec} printed no file name`);
  return join(dir, name);
}
