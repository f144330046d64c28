/** Typed application errors: one class per HTTP meaning, translated to responses in one place. */
export interface FieldProblem { code: string; message: string; path: string }

export class AppError extends Error {
  /** The code when the thrower names none; each subclass sets its own. */
  static readonly defaultCode: string = 'INTERNAL_ERROR';
  readonly status: number = 500;
  readonly code: string;
  constructor(message: string, readonly problems: FieldProblem[] = [], code?: string) {
    super(message);
    // From the constructor, not a field initialiser: a subclass's initialiser would overwrite a code given here.
    this.code = code ?? (new.target as typeof AppError).defaultCode;
  }
}

export class ValidationError extends AppError {
  static override readonly defaultCode = 'VALIDATION_FAILED';
  override name = 'ValidationError';
  override readonly status = 422;
}

/** A request that cannot be read at all (e.g. a damaged multipart body): nothing in it was looked at. */
export class BadRequestError extends AppError {
  static override readonly defaultCode = 'BAD_REQUEST';
  override name = 'BadRequestError';
  override readonly status = 400;
}

export class NotFoundError extends AppError {
  static override readonly defaultCode = 'NOT_FOUND';
  override name = 'NotFoundError';
  override readonly status = 404;

  /** Narrows `value` to non-null or throws a 404. */
  static assertFound<T>(value: T | null | undefined, message = 'Not found'): asserts value is T {
    if (value === null || value === undefined) throw new NotFoundError(message);
  }
}

export class UnauthorizedError extends AppError {
  static override readonly defaultCode = 'UNAUTHORIZED';
  override name = 'UnauthorizedError';
  override readonly status = 401;
}

export class ForbiddenError extends AppError {
  static override readonly defaultCode = 'FORBIDDEN';
  override name = 'ForbiddenError';
  override readonly status = 403;
}

export class ConflictError extends AppError {
  static override readonly defaultCode = 'CONFLICT';
  override name = 'ConflictError';
  override readonly status = 409;
}

export class TooManyRequestsError extends AppError {
  static override readonly defaultCode = 'TOO_MANY_REQUESTS';
  override name = 'TooManyRequestsError';
  override readonly status = 429;
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
  }
}
