import { request } from 'node:http';

/** A parsed JSON body, loosely typed so assertions can reach into any field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary response fields
export type Body = any;

/** A response as the tests look at it. */
export interface Reply<T = Body> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  method?: string;
  /** Sent as JSON unless it is a string (sent as is, for malformed bodies). */
  body?: unknown;
  headers?: Record<string, string>;
}

/** One HTTP request with fetch; JSON bodies are parsed, anything else is left as text. */
export async function http<T = Body>(url: string, options: RequestOptions = {}): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(url, { method: options.method ?? 'GET', headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  if (response.headers.get('content-type')?.includes('json')) parsed = JSON.parse(text);
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

export const get = <T = Body>(url: string, headers?: Record<string, string>) =>
  http<T>(url, headers ? { headers } : {});
export const post = <T = Body>(url: string, body?: unknown, headers?: Record<string, string>) =>
  http<T>(url, { method: 'POST', body, ...(headers ? { headers } : {}) });
export const put = <T = Body>(url: string, body?: unknown) => http<T>(url, { method: 'PUT', body });
export const del = <T = Body>(url: string, headers?: Record<string, string>) =>
  http<T>(url, { method: 'DELETE', ...(headers ? { headers } : {}) });

/** A raw response: every header as sent (fetch hides `Connection` and adds `Cache-Control` to conditional requests). */
export interface RawReply {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

/** One request with node:http, for what fetch would change or hide. */
export function rawGet(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    request(url, { method, headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    })
      .on('error', reject)
      .end();
  });
}

/** The value of one sample in a Prometheus text exposition, or 0 when absent. */
export function sample(metrics: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of metrics.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const braces = /^[^{ ]+(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!braces) continue;
    const found = Object.fromEntries(
      [...(braces[1] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(braces[2]);
  }
  return 0;
}
