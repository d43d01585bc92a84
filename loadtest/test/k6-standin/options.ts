/** Stand-in for `k6/options`, which holds only types (the scripts import it with `import type`). */
export {};
