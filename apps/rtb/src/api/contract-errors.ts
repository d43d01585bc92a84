import { ContractError } from '@clustache/rtb-contract';
import type { HttpError } from '@clustache/service';
import { InvalidRequestError } from '../errors';

/** The contract's validation errors as the API answers them (the error handler's translator): 400 with the contract's code. */
export function contractErrorOf(error: unknown): HttpError | undefined {
  if (error instanceof ContractError) return new InvalidRequestError(error.code, error.message);
  return undefined;
}
