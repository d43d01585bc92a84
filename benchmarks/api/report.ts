import { readFileSync, writeFileSync } from 'node:fs';

/** A Markdown table; cells are written as given. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/**
 * Writes this benchmark's section of the shared benchmarks document between its own markers
 * (`<!-- api:start -->` … `<!-- api:end -->`), replacing the previous run's, or appends it when
 * missing; everything outside the markers (other benchmarks' blocks) is left as it is.
 */
export function writeSection(path: string, heading: string, body: string): void {
  const [open, close] = ['<!-- api:start -->', '<!-- api:end -->'];
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    text = '';
  }
  const block = `${open}\n${heading}\n\n${body.trim()}\n${close}\n`;
  const from = text.indexOf(open);
  const to = text.indexOf(close);
  const next =
    from !== -1 && to > from
      ? text.slice(0, from) + block + text.slice(to + close.length).replace(/^\n/, '')
      : `${text.trimEnd()}${text.trim() === '' ? '' : '\n\n'}${block}`;
  writeFileSync(path, next);
}
