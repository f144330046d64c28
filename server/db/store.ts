/**
 * A repository's public face without its private members, so that a second implementation (the
 * PostgreSQL one, `*.pg-repository.ts`) fits wherever services take the SQLite class's type.
 */
export type PublicOf<T> = { [K in keyof T]: T[K] };
