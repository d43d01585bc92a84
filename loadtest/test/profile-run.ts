/**
 * Loads a profile (smoke.ts, steady.ts, ...) under the k6 stand-in and runs its functions the
 * way k6's executors call them: setup() once in the `::setup` group, then iterations of a
 * scenario's function on its VUs, each followed by k6's per-iteration samples. Time is Jest's
 * fake clock, moved by the scripts' sleep(), so a probe that polls for 1.25 s takes no real time.
 */
import type { Options, Scenario } from 'k6/options';
import type { ProfileName } from '../profiles';
import { recorder, type Emission } from './k6-standin/recorder';
import { clustacheStandIn } from './clustache-standin';

export const PROFILE_NAMES: ProfileName[] = ['smoke', 'steady', 'spike', 'soak'];

/** What a profile file exports. */
export interface ProfileModule {
  options: Options & { scenarios: Record<string, Scenario> };
  setup(): void;
  traffic(): void;
  consistency(): void;
}

export function loadProfile(name: ProfileName): ProfileModule {
  // Loaded through Jest's module registry (after the k6 stand-ins are mapped), not import().
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(`../${name}.ts`) as ProfileModule;
}

/** A fresh stand-in API and a fake clock for the scripts' Date.now() and sleep(). */
export function startRun(): void {
  jest.useFakeTimers({
    now: Date.UTC(2025, 0, 1),
    doNotFake: ['performance', 'hrtime', 'nextTick', 'queueMicrotask'],
  });
  recorder.sleep = (seconds) => jest.advanceTimersByTime(seconds * 1000);
  recorder.respond = clustacheStandIn();
  recorder.clear();
}

export function runSetup(profile: ProfileModule): void {
  recorder.context = { scenario: undefined, group: '::setup', vu: 0, iteration: 0 };
  profile.setup();
}

/**
 * Runs `iterations` iterations of the scenario's function on `vus` VUs (ids from `firstVu`),
 * handing the emissions to `sink` every `chunk` iterations and forgetting them.
 */
export function iterate(
  profile: ProfileModule,
  scenario: string,
  options: {
    iterations: number;
    vus: number;
    firstVu: number;
    sink: (emissions: Emission[]) => void;
    chunk?: number;
  },
): void {
  const exec = profile.options.scenarios[scenario]!.exec as 'traffic' | 'consistency';
  const chunk = options.chunk ?? 1000;
  for (let iteration = 0; iteration < options.iterations; iteration++) {
    const context = { scenario, group: '', vu: options.firstVu + (iteration % options.vus), iteration };
    recorder.context = context;
    profile[exec]();
    recorder.emit({ kind: 'iteration', context });
    if ((iteration + 1) % chunk === 0 || iteration + 1 === options.iterations) {
      options.sink(recorder.emissions);
      recorder.clear();
    }
  }
}

/** '6m30s' → 390. */
export function seconds(duration: string): number {
  const parts = [...duration.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.map((part) => part[0]).join('') !== duration) throw new Error(`not a k6 duration: ${duration}`);
  const unit = { h: 3600, m: 60, s: 1, ms: 0.001 } as const;
  return parts.reduce((total, [, value, u]) => total + Number(value) * unit[u as keyof typeof unit], 0);
}

/** How long a scenario runs, in seconds (without gracefulStop). */
export function scenarioSeconds(scenario: Scenario): number {
  if ('stages' in scenario && scenario.stages)
    return scenario.stages.reduce((sum, stage) => sum + seconds(stage.duration), 0);
  if ('duration' in scenario && scenario.duration) return seconds(scenario.duration);
  throw new Error(`scenario ${scenario.executor} has no duration or stages`);
}

/** How many iterations an arrival-rate scenario starts over its whole run. */
export function scenarioIterations(scenario: Scenario): number {
  const perUnit = (rate: number) => rate / seconds(('timeUnit' in scenario && scenario.timeUnit) || '1s');
  if (scenario.executor === 'constant-arrival-rate')
    return perUnit(scenario.rate) * seconds(scenario.duration);
  if (scenario.executor === 'ramping-arrival-rate') {
    let rate = scenario.startRate ?? 0;
    let total = 0;
    for (const stage of scenario.stages) {
      total += ((perUnit(rate) + perUnit(stage.target)) / 2) * seconds(stage.duration);
      rate = stage.target;
    }
    return total;
  }
  throw new Error(`${scenario.executor} does not start iterations at a rate`);
}
