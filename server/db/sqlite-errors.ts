import { ConflictError } from '../errors.js';

/** Turns a UNIQUE violation into a 409 that names the field, instead of a 500. */
export function translateSqliteError(error: unknown, fieldByColumn: Record<string, string> = {}): unknown {
  const err = error as { code?: string; message?: string };
  if (err?.code === 'SQLITE_CONSTRAINT_UNIQUE' || err?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    const column = /UNIQUE constraint failed: \w+\.(\w+)/.exec(err.message ?? '')?.[1] ?? '';
    const field = fieldByColumn[column] ?? column;
    return new ConflictError(`${field} already exists`, [{ code: 'DUPLICATE', message: `${field} already exists`, path: field }]);
  }
  return error;
}
