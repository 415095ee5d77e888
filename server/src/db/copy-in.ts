import type pg from 'pg';

/** What node-postgres's connection offers a COPY (not in its typings). */
interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
  readonly stream: NodeJS.WritableStream & { writableNeedDrain?: boolean };
}

/**
 * `COPY ... FROM STDIN` on one node-postgres client, fed from `chunks` (COPY text). pg has no COPY
 * of its own (pg-copy-streams is not a dependency); this is the same protocol hook that package
 * uses: a "submittable" the client drives through the CopyIn sub-protocol. Chunks are produced
 * lazily and written as the socket drains, so a million rows never sit in memory as one string.
 */
class CopyIn implements pg.Submittable {
  private error: Error | null = null;

  constructor(
    private readonly text: string,
    private readonly chunks: Iterable<string>,
    private readonly done: (error: Error | null) => void,
  ) {}

  submit(connection: pg.Connection): void {
    (connection as unknown as CopyConnection).query(this.text);
  }

  handleCopyInResponse(connection: CopyConnection): void {
    void this.send(connection);
  }

  private async send(connection: CopyConnection): Promise<void> {
    try {
      for (const chunk of this.chunks) {
        connection.sendCopyFromChunk(Buffer.from(chunk, 'utf8'));
        if (connection.stream.writableNeedDrain)
          await new Promise<void>((resolve) => connection.stream.once('drain', () => resolve()));
      }
      connection.endCopyFrom();
    } catch (error) {
      connection.sendCopyFail(error instanceof Error ? error.message : String(error));
    }
  }

  handleError(error: Error): void {
    this.error = error;
  }

  handleReadyForQuery(): void {
    this.done(this.error);
  }

  // The rest of the protocol a COPY never uses, or uses without anything to read.
  handleCommandComplete(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

export function copyIn(client: pg.ClientBase, sql: string, chunks: Iterable<string>): Promise<void> {
  return new Promise((resolve, reject) => {
    client.query(new CopyIn(sql, chunks, (error) => (error ? reject(error) : resolve())));
  });
}

/** One value in COPY's text format: backslash escapes, `\N` for null. */
export function copyText(value: string | number | null): string {
  if (value === null) return '\\N';
  const s = String(value);
  return /[\\\t\n\r]/.test(s)
    ? s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
    : s;
}
