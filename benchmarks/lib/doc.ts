import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * Writes one benchmark's block between its own markers (`<!-- name:start -->` … `<!-- name:end -->`)
 * in the shared benchmarks document, replacing the previous run's; everything outside the markers
 * (other benchmarks' blocks) is left as it is. A document without the markers gets the block at
 * the bottom, at the `top` (minus the document's old `# ` title: the engine block brings its own),
 * or right after another block (`{ after: 'engine' }`; at the bottom if that one is missing too).
 */
export function writeMarkedBlock(
  path: string,
  name: string,
  block: string,
  missing: 'top' | 'bottom' | { after: string } = 'bottom',
): void {
  const [open, close] = [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`];
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const fenced = `${open}\n${block.trim()}\n${close}\n`;
  const from = text.indexOf(open);
  const to = text.indexOf(close);
  const anchor = typeof missing === 'object' ? `<!-- ${missing.after}:end -->` : undefined;
  const previous = anchor === undefined ? -1 : text.indexOf(anchor);
  let next: string;
  if (from !== -1 && to > from) {
    next = text.slice(0, from) + fenced + text.slice(to + close.length).replace(/^\n/, '');
  } else if (anchor !== undefined && previous !== -1) {
    const at = previous + anchor.length;
    next = `${text.slice(0, at)}\n\n${fenced}${text.slice(at).replace(/^\n+/, '\n')}`;
  } else if (missing === 'top') {
    const rest = text.replace(/^# [^\n]*\n+/, '').trim();
    next = rest === '' ? fenced : `${fenced}\n${rest}\n`;
  } else {
    next = `${text.trimEnd()}${text.trim() === '' ? '' : '\n\n'}${fenced}`;
  }
  writeFileSync(path, next);
}

/** The commit being measured, short, or 'unknown' outside a git checkout. */
export function gitCommit(): string {
  try {
    return execSync('git rev-parse --short HEAD', {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'unknown';
  }
}
