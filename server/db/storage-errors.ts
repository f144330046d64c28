import { AppError } from '../errors.js';

/** The database could not write (disk full or failing): the request stored nothing; try later. */
export class StorageUnavailableError extends AppError {
  static override readonly defaultCode = 'STORAGE_FULL';
  override name = 'StorageUnavailableError';
  override readonly status = 503;
  readonly retryAfterSeconds = 60;
}

/**
 * SQLITE_FULL (no space left) and SQLITE_IOERR_* (a write or fsync failed) roll the transaction
 * back: the request stored nothing. Say so clearly (503 with Retry-After), never a bare 500,
 * and never an answer that could pass for success.
 */
export function translateStorageError(error: unknown): StorageUnavailableError | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_FULL') {
    return new StorageUnavailableError('The server\'s disk is full: nothing was saved. Try again in a few minutes.', [], 'STORAGE_FULL');
  }
  if (typeof code === 'string' && code.startsWith('SQLITE_IOERR')) {
    return new StorageUnavailableError('The server could not write to its disk: nothing was saved. Try again in a few minutes.', [], 'STORAGE_UNAVAILABLE');
  }
  return null;
}
