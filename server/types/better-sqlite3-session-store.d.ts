declare module 'better-sqlite3-session-store' {
  import type { Store } from 'express-session';
  import type Database from 'better-sqlite3';
  interface SqliteStoreOptions { client: Database.Database; expired?: { clear?: boolean; intervalMs?: number } }
  class SqliteStore extends Store {
    constructor(options: SqliteStoreOptions);
    expired: { clear: boolean; intervalMs: number };
    startInterval(): void;
    clearExpiredSessions(): void;
    get: Store['get'];
    set: Store['set'];
    destroy: Store['destroy'];
  }
  export default function makeStore(session: { Store: typeof Store }): typeof SqliteStore;
}
