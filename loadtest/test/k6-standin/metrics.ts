/** Stand-in for `k6/metrics`: custom metrics record each add() with the tags it was given. */
import { here, recorder, type MetricType } from './recorder';

abstract class Metric {
  constructor(
    readonly name: string,
    private readonly type: MetricType,
  ) {
    recorder.declared.set(name, type);
  }

  add(value: number | boolean, tags: Record<string, string> = {}): void {
    recorder.emit({
      kind: 'metric',
      metric: this.name,
      type: this.type,
      value: Number(value),
      tags,
      context: here(),
    });
  }
}

export class Counter extends Metric {
  constructor(name: string) {
    super(name, 'counter');
  }
}
export class Gauge extends Metric {
  constructor(name: string) {
    super(name, 'gauge');
  }
}
export class Rate extends Metric {
  constructor(name: string) {
    super(name, 'rate');
  }
}
export class Trend extends Metric {
  constructor(name: string, _isTime?: boolean) {
    super(name, 'trend');
  }
}
