import crypto from 'node:crypto';
import fs from 'node:fs';
import multer from 'multer';
import type { RequestHandler } from 'express';
import { PackageRejectedError, formatBytes } from './package/package-errors.js';
import { multipartBody } from '../http/multipart.js';

/**
 * Streams the `package` field to a temp file (memory stays flat for large uploads) and always
 * removes that file once the response is finished.
 */
export function packageUpload(tmpDir: string, maxBytes: number): RequestHandler {
  fs.mkdirSync(tmpDir, { recursive: true });
  const upload = multer({
    storage: multer.diskStorage({ destination: tmpDir, filename: (_req, _file, cb) => cb(null, `${crypto.randomUUID()}.zip`) }),
    limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 10_000 },
  }).single('package');
  const read = multipartBody(upload, (error) => {
    const message = error.code === 'LIMIT_FILE_SIZE' ? `The package is larger than the ${formatBytes(maxBytes)} limit` : `Upload refused: ${error.message}`;
    return new PackageRejectedError([{ code: error.code === 'LIMIT_FILE_SIZE' ? 'PACKAGE_TOO_LARGE' : 'UPLOAD_INVALID', message, path: error.field ?? 'package', severity: 'error' }]);
  });
  return (req, res, next) => {
    res.on('close', () => { if (req.file?.path) fs.rm(req.file.path, { force: true }, () => undefined); });
    read(req, res, next);
  };
}
