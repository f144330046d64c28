declare module 'better-sqlite3-session-store' {
  import type { Store } from 'express-session';
  import type Database from 'better-sqlite3';
  interface SqliteStoreOptions { client: Database.Database; expired?: { clear?: boolean; intervalMs?: number } }
  class SqliteStore extends Store {
    constructor(options: SqliteStoreOptions);
    expired: { clear: boolean; intervalMs: number };
    startInterval(): void;
    clearExpiredSessions(): void;
    get(sid: string, callback: (error: unknown, session?: import('express-session').SessionData | null) => void): void;
    set(sid: string, session: import('express-session').SessionData, callback?: (error?: unknown) => void): void;
    destroy(sid: string, callback?: (error?: unknown) => void): void;
    touch(sid: string, session: import('express-session').SessionData, callback?: (error?: unknown) => void): void;
  }
  export default function makeStore(session: { Store: typeof Store }): typeof SqliteStore;
}
