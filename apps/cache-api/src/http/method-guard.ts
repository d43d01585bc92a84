import type { RequestHandler } from 'express';
import { MethodNotAllowedError } from '../errors';

/** The last handler of a route: any other method gets 405 with the `Allow` header. */
export function allowOnly(...methods: string[]): RequestHandler {
  const allowed = methods.includes('GET') ? [...methods, 'HEAD'] : methods;
  return (req) => {
    throw new MethodNotAllowedError(allowed, req.method);
  };
}
