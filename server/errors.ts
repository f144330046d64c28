/** Typed application errors: one class per HTTP meaning, translated to responses in one place. */
export interface FieldProblem { code: string; message: string; path: string }

export class AppError extends Error {
  readonly status: number = 500;
  readonly code: string = 'INTERNAL_ERROR';
  constructor(message: string, readonly problems: FieldProblem[] = [], code?: string) {
    super(message);
    if (code) this.code = code;
  }
}

export class ValidationError extends AppError {
  override name = 'ValidationError';
  override readonly status = 422;
  override readonly code: string = 'VALIDATION_FAILED';
  constructor(message: string, problems: FieldProblem[] = [], code?: string) {
    super(message, problems);
    if (code) this.code = code;
  }
}

export class NotFoundError extends AppError {
  override name = 'NotFoundError';
  override readonly status = 404;
  override readonly code = 'NOT_FOUND';

  /** Narrows `value` to non-null or throws a 404. */
  static assertFound<T>(value: T | null | undefined, message = 'Not found'): asserts value is T {
    if (value === null || value === undefined) throw new NotFoundError(message);
  }
}

export class UnauthorizedError extends AppError {
  override name = 'UnauthorizedError';
  override readonly status = 401;
  override readonly code = 'UNAUTHORIZED';
}

export class ForbiddenError extends AppError {
  override name = 'ForbiddenError';
  override readonly status = 403;
  override readonly code = 'FORBIDDEN';
}

export class ConflictError extends AppError {
  override name = 'ConflictError';
  override readonly status = 409;
  override readonly code = 'CONFLICT';
}

export class TooManyRequestsError extends AppError {
  override name = 'TooManyRequestsError';
  override readonly status = 429;
  override readonly code = 'TOO_MANY_REQUESTS';
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
  }
}
