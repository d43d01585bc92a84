import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export const START = '<!-- engine:start -->';
export const END = '<!-- engine:end -->';

/**
 * Writes the engine block (title, how to reproduce, `## Engine`) at the top of the file between
 * its markers and keeps everything outside them — the `## API` section is another engineer's.
 * A file without markers keeps its content below the new block, minus a leading `# ` title.
 */
export function writeEngineBlock(path: string, block: string): void {
  const fenced = `${START}\n${block.trim()}\n${END}`;
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  let next: string;
  if (start !== -1 && end > start) {
    next = current.slice(0, start) + fenced + current.slice(end + END.length);
  } else {
    const rest = current.replace(/^# [^\n]*\n+/, '').trim();
    next = rest === '' ? `${fenced}\n` : `${fenced}\n\n${rest}\n`;
  }
  writeFileSync(path, next);
}

/**
 * Writes one benchmark's block between its own markers (`<!-- name:start -->` … `<!-- name:end -->`),
 * replacing the previous run's, or appends it when missing; everything else is left as it is.
 */
export function writeMarkedBlock(path: string, name: string, block: string): void {
  const [open, close] = [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`];
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const fenced = `${open}\n${block.trim()}\n${close}\n`;
  const from = text.indexOf(open);
  const to = text.indexOf(close);
  const next =
    from !== -1 && to > from
      ? text.slice(0, from) + fenced + text.slice(to + close.length).replace(/^\n/, '')
      : `${text.trimEnd()}${text.trim() === '' ? '' : '\n\n'}${fenced}`;
  writeFileSync(path, next);
}
