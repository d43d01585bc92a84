/**
 * A value breaks the contract. Each kind has a stable `code`, the one an RTB API answers with
 * (400 `{"error": {"code", "message"}}`), and a message that names the field and what it must be;
 * the contract itself knows nothing of HTTP, so whoever serves it maps the error.
 */
export abstract class ContractError extends Error {
  static readonly code: string;
  readonly code: string;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
    this.code = (new.target as unknown as typeof ContractError).code;
  }
}

/** A `POST /user_tags` body that is not a contract user tag: a missing, mistyped or oversized field. */
export class InvalidTagError extends ContractError {
  static override readonly code = 'INVALID_TAG';
}

/** A `time_range` that is missing, malformed, backwards, or (aggregates) not whole minutes or too long. */
export class InvalidTimeRangeError extends ContractError {
  static override readonly code = 'INVALID_TIME_RANGE';
}

/** An aggregates query with a missing, repeated or unknown action, filter or aggregate. */
export class InvalidQueryError extends ContractError {
  static override readonly code = 'INVALID_QUERY';
}
