import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Button, Callout, FormGroup, H2, InputGroup, Tag, TextArea } from '@blueprintjs/core';
import type { BlockingItem, CloseReadiness } from '@shared/close/close';
import { call, describeError } from '../../bridge';
import { formatDateTime } from '../../lib/format';
import { formatAmount } from '../../lib/money-format';
import { useSession } from '../../state/session';

const thisMonth = () => new Date().toISOString().slice(0, 7);

function describeBlocking(item: BlockingItem): string {
  switch (item.kind) {
    case 'feed_missing':
      return `Feed not received: ${item.label} (${item.format})`;
    case 'unmapped':
      return `Record not mapped: ${item.exceptionId}`;
    case 'material_unfinished':
      return `Material item unfinished: ${item.exceptionId}, variance ${formatAmount(item.variance)}`;
  }
}

const STATE_WORDS: Record<CloseReadiness['state'], string> = {
  open: 'Open',
  prepared: 'Prepared, waiting for the reviewer',
  locked: 'Locked',
};

/**
 * Month-end close of one period: what blocks it, by name; the preparer's and then a different
 * reviewer's sign-off (which locks it); reopening with a reason. The server decides every rule.
 */
export function ClosePanel() {
  const me = useSession((s) => s.session?.user.id);
  const [period, setPeriod] = useState(thisMonth);
  const [typed, setTyped] = useState(period);
  const [readiness, setReadiness] = useState<CloseReadiness | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [reason, setReason] = useState('');

  useEffect(() => {
    let cancelled = false;
    call('close.readiness', { period })
      .then((r) => !cancelled && (setReadiness(r), setError(null)))
      .catch((e: unknown) => !cancelled && setError(describeError(e)));
    return () => {
      cancelled = true;
    };
  }, [period]);

  const act = useCallback((done: string, run: () => Promise<CloseReadiness>) => {
    setBusy(true);
    setNotice(null);
    run()
      .then((r) => {
        setReadiness(r);
        setError(null);
        setNotice(done);
        setReason('');
      })
      .catch((e: unknown) => setError(describeError(e)))
      .finally(() => setBusy(false));
  }, []);
  const choose = (e: FormEvent) => {
    e.preventDefault();
    const next = typed.trim();
    if (/^\d{4}-\d{2}$/.test(next)) {
      if (next !== period) setReadiness(null);
      setPeriod(next);
    } else setError('Type the period as a month such as 2026-11.');
  };
  const who = (p: { id: string; at: string } | null) =>
    p ? `${p.id === me ? 'you' : p.id}, ${formatDateTime(p.at)}` : 'not yet';

  return (
    <div className="ld-close">
      <form className="ld-close-period" onSubmit={choose} aria-label="Close period">
        <FormGroup label="Period (month)" labelFor="close-period" helperText="For example 2026-11">
          <InputGroup id="close-period" value={typed} onValueChange={setTyped} />
        </FormGroup>
        <Button type="submit">Show</Button>
      </form>
      {error && (
        <Callout intent="danger" compact role="alert" data-testid="close-error">
          {error}
        </Callout>
      )}
      <p role="status" className="ld-small" data-testid="close-notice">
        {notice ?? ''}
      </p>
      {readiness && (
        <>
          <H2 className="ld-section-h">
            {readiness.period}: {STATE_WORDS[readiness.state]}{' '}
            <Tag intent={readiness.ready ? 'success' : 'warning'} minimal>
              {readiness.ready ? 'Ready to sign off' : `${readiness.blockingTotal} blocking`}
            </Tag>
          </H2>
          <dl className="ld-close-signoffs">
            <dt>Preparer</dt>
            <dd>{who(readiness.preparer)}</dd>
            <dt>Reviewer</dt>
            <dd>{who(readiness.reviewer)}</dd>
          </dl>
          <h3 className="ld-kpi-chart-h" id="close-blocking-h">
            Blocking items
          </h3>
          {readiness.blocking.length === 0 ? (
            <p className="ld-small">Nothing blocks this period.</p>
          ) : (
            <ul aria-labelledby="close-blocking-h" data-testid="close-blocking">
              {readiness.blocking.map((b) => (
                <li key={`${b.kind}-${'exceptionId' in b ? b.exceptionId : b.format}`}>
                  {describeBlocking(b)}
                </li>
              ))}
              {readiness.blockingTotal > readiness.blocking.length && (
                <li>and {readiness.blockingTotal - readiness.blocking.length} more</li>
              )}
            </ul>
          )}
          <div className="ld-close-actions">
            {readiness.state === 'open' && (
              <Button
                intent="primary"
                loading={busy}
                onClick={() =>
                  act('Signed off as preparer.', () => call('close.signOff', { period, as: 'preparer' }))
                }
              >
                Sign off as preparer
              </Button>
            )}
            {readiness.state === 'prepared' && (
              <Button
                intent="primary"
                loading={busy}
                onClick={() =>
                  act('Signed off as reviewer: the period is locked.', () =>
                    call('close.signOff', { period, as: 'reviewer' }),
                  )
                }
              >
                Sign off as reviewer and lock
              </Button>
            )}
          </div>
          {readiness.state !== 'open' && (
            <form
              className="ld-close-reopen"
              aria-label="Reopen the period"
              onSubmit={(e) => {
                e.preventDefault();
                act('Reopened: both sign-offs are needed again.', () =>
                  call('close.reopen', { period, reason }),
                );
              }}
            >
              <FormGroup label="Why reopen it" labelFor="close-reason">
                <TextArea
                  id="close-reason"
                  value={reason}
                  onChange={(e) => setReason(e.currentTarget.value)}
                  fill
                />
              </FormGroup>
              <Button type="submit" intent="warning" loading={busy} disabled={reason.trim().length < 3}>
                Reopen the period
              </Button>
            </form>
          )}
        </>
      )}
    </div>
  );
}
