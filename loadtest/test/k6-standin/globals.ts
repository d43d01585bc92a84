/** k6's globals the scripts read at load time: `__ENV` is empty, so every default applies. */
(globalThis as { __ENV?: Record<string, string> }).__ENV = {};
