/** Stand-in for `k6/execution`: the ids of the current VU and iteration, and test.abort(). */
import { recorder } from './recorder';

/** Thrown by test.abort(), so a test sees that (and why) the script stopped the run. */
export class TestAborted extends Error {}

export default {
  vu: {
    get idInTest(): number {
      return recorder.context.vu;
    },
  },
  scenario: {
    get name(): string | undefined {
      return recorder.context.scenario;
    },
    get iterationInTest(): number {
      return recorder.context.iteration;
    },
  },
  test: {
    abort(reason?: string): never {
      throw new TestAborted(reason ?? 'test aborted');
    },
  },
};
