/**
 * What the k6 stand-in modules share: the VU context a call runs in, the clock, how a request
 * is answered, and every emission (request, check, custom-metric sample) in the order the
 * script made it. It records raw facts only; which Prometheus labels they become is decided by
 * ../prometheus-labels.ts, under a given set of k6 system tags. No real k6 exists on this
 * machine, so the load scripts are run under Node with these modules in place of k6's.
 */

/** Where a call runs: k6's scenario and group tags, and the VU and iteration ids. */
export interface VuContext {
  /** The scenario name; undefined in setup(), which runs outside every scenario. */
  scenario: string | undefined;
  /** k6's group path: '' at the top, '::setup' inside setup(). */
  group: string;
  vu: number;
  iteration: number;
}

export type MetricType = 'counter' | 'gauge' | 'rate' | 'trend';

/** One thing the script made k6 measure. `tags` are the tags the script itself passed. */
export type Emission =
  | {
      kind: 'http';
      method: string;
      url: string;
      status: number;
      /** k6's `expected_response`: whether the request's response callback accepts the status. */
      expected: boolean;
      tags: Record<string, string>;
      context: VuContext;
    }
  | { kind: 'check'; name: string; passed: boolean; tags: Record<string, string>; context: VuContext }
  | {
      kind: 'metric';
      metric: string;
      type: MetricType;
      value: number;
      tags: Record<string, string>;
      context: VuContext;
    }
  /** The end of an iteration: k6's own `iterations`, `iteration_duration` and data counters. */
  | { kind: 'iteration'; context: VuContext };

/** How the stand-in http module answers a request. */
export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}
export type Responder = (method: string, url: string, body: string | undefined) => Answer;

class Recorder {
  emissions: Emission[] = [];
  /** Custom metrics the script declared (new Counter(...) etc.), by name. */
  declared = new Map<string, MetricType>();
  context: VuContext = { scenario: undefined, group: '', vu: 0, iteration: 0 };
  respond: Responder = (method, url) => {
    throw new Error(`k6 stand-in: no responder installed for ${method} ${url}`);
  };
  /** Called by k6's sleep(); the test moves its clock here. */
  sleep: (seconds: number) => void = () => {
    throw new Error('k6 stand-in: no clock installed for sleep()');
  };

  emit(emission: Emission): void {
    this.emissions.push(emission);
  }

  /** Forgets what was recorded (declared metrics stay: they are declared once, at import). */
  clear(): void {
    this.emissions = [];
  }
}

/** The one recorder of this test file (Jest gives each test file its own module registry). */
export const recorder = new Recorder();

/** A copy of the current context, for an emission to keep. */
export function here(): VuContext {
  return { ...recorder.context };
}
