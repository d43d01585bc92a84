/**
 * Compiles a Redis-style glob (`*`, `?`, `[abc]`, `[^a-z]`, `\` escapes), the syntax of
 * `KEYS`/`SCAN MATCH`, into a predicate so L1 and L2 agree on what a pattern deletes.
 */
export function compileGlob(pattern: string): (key: string) => boolean {
  let source = '^';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '*') source += '[\\s\\S]*';
    else if (char === '?') source += '[\\s\\S]';
    else if (char === '\\' && i + 1 < pattern.length) source += escapeRegExp(pattern[++i]!);
    else if (char === '[' && findClassEnd(pattern, i) !== -1) {
      const end = findClassEnd(pattern, i);
      let j = i + 1;
      let set = '';
      if (pattern[j] === '^') {
        set += '^';
        j++;
      }
      for (; j < end; j++) {
        const member = pattern[j]!;
        if (member === '\\') set += escapeClassMember(pattern[++j]!);
        else set += member === '-' ? '-' : escapeClassMember(member);
      }
      source += `[${set}]`;
      i = end;
    } else source += escapeRegExp(char);
  }
  const regexp = new RegExp(`${source}$`);
  return (key) => regexp.test(key);
}

/** True when the pattern contains glob syntax; a pattern without any is a plain key. */
export function isGlob(pattern: string): boolean {
  return /[*?[\\]/.test(pattern);
}

function findClassEnd(pattern: string, start: number): number {
  for (let j = start + 1; j < pattern.length; j++) {
    if (pattern[j] === '\\') j++;
    else if (pattern[j] === ']' && j > start + 1) return j;
  }
  return -1;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function escapeClassMember(char: string): string {
  return /[\]\\^-]/.test(char) ? `\\${char}` : char;
}
