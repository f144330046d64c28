import multer from 'multer';
import type { RequestHandler } from 'express';
import { ValidationError } from '../../errors.js';
import { PendingRosterUploads } from './pending-uploads.js';
import { multipartBody } from '../../http/multipart.js';

/**
 * Streams the `file` field straight into the pending-uploads folder (memory stays flat for a
 * 40 MB roster). The file is kept for the apply step; the handler removes it when it is no use.
 */
export function rosterUpload(uploads: PendingRosterUploads, maxBytes: number): RequestHandler {
  const upload = multer({
    storage: multer.diskStorage({ destination: uploads.dir, filename: (_req, _file, cb) => cb(null, PendingRosterUploads.newFileName()) }),
    limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 1_000 },
    // Browsers send file names as raw UTF-8 (Chinese names included).
    defParamCharset: 'utf8',
  }).single('file');
  return multipartBody(upload, (error) => {
    const code = error.code === 'LIMIT_FILE_SIZE' ? 'ROSTER_TOO_LARGE' : 'UPLOAD_INVALID';
    return new ValidationError(error.code === 'LIMIT_FILE_SIZE' ? 'The file is too large' : `Upload refused: ${error.message}`, [{ code, message: error.message, path: 'file' }], code);
  });
}
