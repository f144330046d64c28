import express, { type RequestHandler, type Response } from 'express';

const MAX_CACHED_HANDLERS = 200;

/**
 * Static file handlers for unpacked package folders, one per version, kept in a small cache. A
 * version's files never change, so they carry ETags and Range support (video seeking), never
 * directory listings or dotfiles; traversal (plain, encoded or double-encoded) is refused by `send`
 * and reaches `next(error)`. `setHeaders` adds the caller's caching and security headers.
 */
export function packageStaticHandlers(setHeaders: (res: Response) => void): (versionId: number, dir: string) => RequestHandler {
  const handlers = new Map<number, RequestHandler>();
  return (versionId, dir) => {
    let handler = handlers.get(versionId);
    if (!handler) {
      if (handlers.size >= MAX_CACHED_HANDLERS) handlers.delete(handlers.keys().next().value!);
      handler = express.static(dir, {
        index: false, redirect: false, dotfiles: 'ignore', fallthrough: false, etag: true, lastModified: false, acceptRanges: true,
        setHeaders: (res) => setHeaders(res as unknown as Response),
      });
      handlers.set(versionId, handler);
    }
    return handler;
  };
}
