import { H2, HTMLTable, Tag } from '@blueprintjs/core';
import type { IngestBatch } from '@shared/api/ingest';
import { formatDateTime } from '../../lib/format';

/** The imported files, newest first: what each brought and whether a run has read it since. */
export function BatchesTable({ batches }: { batches: readonly IngestBatch[] | null }) {
  return (
    <section className="ld-recon-panel" aria-labelledby="recon-batches-h">
      <H2 id="recon-batches-h" className="ld-section-h">
        Imported files
      </H2>
      {batches && batches.length === 0 && (
        <p className="ld-muted">No files yet. Import the month&apos;s files first.</p>
      )}
      {batches && batches.length > 0 && (
        <div className="ld-recon-scroll" tabIndex={0} role="region" aria-label="Imported files, scrollable">
          <HTMLTable compact striped aria-label="Imported files" data-testid="recon-batches">
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Format</th>
                <th scope="col" className="ld-num">
                  Rows
                </th>
                <th scope="col">Imported by</th>
                <th scope="col">When</th>
                <th scope="col">Status</th>
                <th scope="col">SHA-256</th>
              </tr>
            </thead>
            <tbody>
              {batches.map((b) => (
                <tr key={b.id}>
                  <td>{b.fileName}</td>
                  <td>{b.format}</td>
                  <td className="ld-num">{b.rows}</td>
                  <td>{b.importedByName ?? b.importedBy}</td>
                  <td>{formatDateTime(b.importedAt)}</td>
                  <td>
                    <Tag minimal intent={b.status === 'reconciled' ? 'success' : 'warning'}>
                      {b.status === 'reconciled' ? 'Reconciled' : 'Waiting for a run'}
                    </Tag>
                  </td>
                  <td>
                    <code title={b.sha256}>{b.sha256.slice(0, 12)}…</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </HTMLTable>
        </div>
      )}
    </section>
  );
}
