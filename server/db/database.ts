import type { Db } from './open-database.js';
import type { PgPool } from './postgres/pool.js';

/** The database the container opened: the embedded SQLite file, or a PostgreSQL server shared by several nodes. */
export type LmsDatabase = { dialect: 'sqlite'; db: Db } | { dialect: 'postgres'; pool: PgPool };
