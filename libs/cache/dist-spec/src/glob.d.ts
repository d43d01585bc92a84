/**
 * Compiles a Redis-style glob (`*`, `?`, `[abc]`, `[^a-z]`, `\` escapes), the syntax of
 * `KEYS`/`SCAN MATCH`, into a predicate so L1 and L2 agree on what a pattern deletes.
 */
export declare function compileGlob(pattern: string): (key: string) => boolean;
/** True when the pattern contains glob syntax; a pattern without any is a plain key. */
export declare function isGlob(pattern: string): boolean;
//# sourceMappingURL=glob.d.ts.map