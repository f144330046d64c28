import { ConflictError } from '../../errors.js';

/**
 * A UNIQUE violation (23505) becomes the same 409 the SQLite path gives (sqlite-errors.ts), naming
 * the field from the violation's detail `Key (code)=(…) already exists.`
 */
export function translatePgError(error: unknown, fieldByColumn: Record<string, string> = {}): unknown {
  const err = error as { code?: string; detail?: string };
  if (err?.code === '23505') {
    const column = /^Key \(([\w, ]+)\)/.exec(err.detail ?? '')?.[1]?.split(',')[0]?.trim() ?? '';
    const field = fieldByColumn[column] ?? column;
    return new ConflictError(`${field} already exists`, [{ code: 'DUPLICATE', message: `${field} already exists`, path: field }]);
  }
  return error;
}
