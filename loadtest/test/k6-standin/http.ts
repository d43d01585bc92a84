/**
 * Stand-in for `k6/http`: each request is answered by the installed responder and recorded with
 * its method, URL, status and the tags the script passed in `params.tags`.
 */
import { here, recorder } from './recorder';

/** What `expectedStatuses()` returns: the statuses a request's response counts as expected for. */
interface ExpectedStatuses {
  statuses: number[];
}

interface Params {
  headers?: Record<string, string>;
  tags?: Record<string, string>;
  responseCallback?: ExpectedStatuses;
}

/** The part of k6's Response the scripts use. */
export interface Response {
  status: number;
  body: string;
  headers: Record<string, string>;
  error: string;
  json(selector?: string): unknown;
}

function request(method: string, url: string, body?: string | null, params: Params = {}): Response {
  const answer = recorder.respond(method, url, body ?? undefined);
  recorder.emit({
    kind: 'http',
    method,
    url,
    status: answer.status,
    // k6's default response callback expects 200-399.
    expected: params.responseCallback
      ? params.responseCallback.statuses.includes(answer.status)
      : answer.status >= 200 && answer.status < 400,
    tags: params.tags ?? {},
    context: here(),
  });
  const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
  return {
    status: answer.status,
    body: text,
    headers: answer.headers ?? {},
    error: '',
    json(selector?: string) {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      return selector === undefined ? parsed : parsed[selector];
    },
  };
}

interface BatchRequest {
  method: string;
  url: string;
  body?: string | null;
  params?: Params;
}

export default {
  request,
  expectedStatuses: (...statuses: number[]): ExpectedStatuses => ({ statuses }),
  get: (url: string, params?: Params) => request('GET', url, null, params),
  post: (url: string, body?: string | null, params?: Params) => request('POST', url, body, params),
  put: (url: string, body?: string | null, params?: Params) => request('PUT', url, body, params),
  del: (url: string, body?: string | null, params?: Params) => request('DELETE', url, body, params),
  batch: (requests: BatchRequest[]) => requests.map((r) => request(r.method, r.url, r.body, r.params)),
};
