/**
 * The few Prometheus HTTP API calls the platform reads (the console, the status line, the
 * end-to-end test): instant and range queries, and the alerts it holds.
 */

export interface InstantSample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface RangeSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

export interface PrometheusAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
  activeAt: string;
}

/** Prometheus refused or failed a query; the message carries its error text. */
export class PrometheusQueryError extends Error {
  override readonly name = 'PrometheusQueryError';
}

export class PrometheusApi {
  constructor(readonly baseUrl: string) {}

  async query(expr: string): Promise<InstantSample[]> {
    return (await this.get<{ result: InstantSample[] }>('/api/v1/query', { query: expr })).result;
  }

  async queryRange(
    expr: string,
    startSeconds: number,
    endSeconds: number,
    stepSeconds: number,
  ): Promise<RangeSeries[]> {
    const params = {
      query: expr,
      start: String(startSeconds),
      end: String(endSeconds),
      step: String(stepSeconds),
    };
    return (await this.get<{ result: RangeSeries[] }>('/api/v1/query_range', params)).result;
  }

  async alerts(): Promise<PrometheusAlert[]> {
    return (await this.get<{ alerts: PrometheusAlert[] }>('/api/v1/alerts', {})).alerts;
  }

  /** The first sample's value as a number, or undefined when the query returns nothing. */
  async scalar(expr: string): Promise<number | undefined> {
    const [first] = await this.query(expr);
    return first === undefined ? undefined : Number(first.value[1]);
  }

  private async get<T>(path: string, params: Record<string, string>): Promise<T> {
    const url = `${this.baseUrl}${path}?${new URLSearchParams(params).toString()}`;
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    const body = (await response.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success')
      throw new PrometheusQueryError(`${path} ${params['query'] ?? ''}: ${body.error ?? response.status}`);
    return body.data;
  }
}
