/** Stand-in for the `k6` module: check, fail, sleep and group, recorded instead of measured. */
import { here, recorder } from './recorder';

type Checks<T> = Record<string, (value: T) => unknown>;

/** Runs each check and records one `checks` sample per check name, as k6 does. */
export function check<T>(value: T, checks: Checks<T>, tags: Record<string, string> = {}): boolean {
  let all = true;
  for (const [name, predicate] of Object.entries(checks)) {
    const passed = Boolean(predicate(value));
    all &&= passed;
    recorder.emit({ kind: 'check', name, passed, tags, context: here() });
  }
  return all;
}

/** k6's fail(): throws, which ends the iteration. */
export function fail(message?: string): never {
  throw new Error(message ?? 'fail() called');
}

export function sleep(seconds: number): void {
  recorder.sleep(seconds);
}

/** Runs `body` with the group tag extended by `name`, as k6 does. */
export function group<T>(name: string, body: () => T): T {
  const outer = recorder.context.group;
  recorder.context.group = `${outer}::${name}`;
  try {
    return body();
  } finally {
    recorder.context.group = outer;
  }
}
