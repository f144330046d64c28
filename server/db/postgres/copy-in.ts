/**
 * `COPY … FROM STDIN` through node-postgres, for bulk loads (`lms migrate-to-postgres`): a
 * submittable query that streams COPY text-format chunks with the socket's backpressure. pg speaks
 * the COPY sub-protocol (CopyData / CopyDone) but only pg-copy-streams wraps it; this is the few
 * lines of it we need, on the same connection methods.
 */
import type { Socket } from 'node:net';
import type pg from 'pg';

interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
  stream: Socket;
}

/** One value in COPY's text format: \N for NULL, backslash escapes for the separators. */
export function copyTextValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'string') return value.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'));
  throw new TypeError(`Cannot copy a ${typeof value} value (binary data is not part of the schema)`);
}

class CopyFrom implements pg.Submittable {
  private error: Error | null = null;
  private rowCount = 0;
  readonly done: Promise<number>;
  private settle!: { resolve: (rows: number) => void; reject: (error: Error) => void };

  constructor(private readonly text: string, private readonly chunks: () => Iterable<string>) {
    this.done = new Promise((resolve, reject) => { this.settle = { resolve, reject }; });
  }

  submit(connection: unknown): void {
    (connection as CopyConnection).query(this.text);
  }

  /** The server is ready for data: send it, pausing whenever the socket's buffer is full. */
  handleCopyInResponse(connection: unknown): void {
    const con = connection as CopyConnection;
    void (async () => {
      try {
        for (const chunk of this.chunks()) {
          if (this.error) return;
          con.sendCopyFromChunk(Buffer.from(chunk, 'utf8'));
          if (con.stream.writableNeedDrain) await new Promise((resolve) => con.stream.once('drain', resolve));
        }
        con.endCopyFrom();
      } catch (error) {
        this.error = error as Error;
        con.sendCopyFail((error as Error).message);
      }
    })();
  }

  handleCommandComplete(message: { text?: string }): void {
    this.rowCount = Number(/(\d+)$/.exec(message.text ?? '')?.[1] ?? 0);
  }

  handleError(error: Error): void {
    this.error ??= error;
  }

  handleReadyForQuery(): void {
    if (this.error) this.settle.reject(this.error);
    else this.settle.resolve(this.rowCount);
  }

  // Messages a COPY never gets; present because the client may call them.
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
}

/**
 * Runs `COPY table (columns) FROM STDIN` with rows as arrays of values, about 256 KB per message;
 * resolves to the number of rows the server stored.
 */
export function copyRowsIn(client: pg.PoolClient, table: string, columns: string[], rows: Iterable<unknown[]>): Promise<number> {
  const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
  function* chunks(): Iterable<string> {
    let buffer = '';
    for (const row of rows) {
      buffer += `${row.map(copyTextValue).join('\t')}\n`;
      if (buffer.length >= 256 * 1024) { yield buffer; buffer = ''; }
    }
    if (buffer) yield buffer;
  }
  const query = new CopyFrom(`COPY ${quote(table)} (${columns.map(quote).join(', ')}) FROM STDIN`, chunks);
  client.query(query);
  return query.done;
}
