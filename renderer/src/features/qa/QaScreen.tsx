import { useCallback, useEffect, useState } from 'react';
import { Button, Callout, H2, NonIdealState, Spinner, Tab, Tabs } from '@blueprintjs/core';
import type { ReviewSummary } from '@shared/api/qa-reviews';
import { call, describeError } from '../../bridge';
import { useSession } from '../../state/session';
import { CalloutTitle } from '../../components/CalloutTitle';
import { SampleInbox, type ReviewState } from './SampleInbox';
import { ReviewPanel } from './ReviewPanel';
import { DisputesPanel } from './DisputesPanel';
import './qa.css';

/**
 * QA review (Ctrl+7): reviewers get the sample inbox and score reviews; leads and admins decide
 * disputes. Someone with both (an admin) switches between them with tabs.
 */
export function QaScreen() {
  const roles = useSession((s) => s.session?.user.roles) ?? [];
  const reviewer = roles.includes('qa');
  const lead = roles.includes('lead') || roles.includes('admin');
  const [tab, setTab] = useState<'sample' | 'disputes'>(reviewer ? 'sample' : 'disputes');
  if (reviewer && lead) {
    return (
      <Tabs
        id="qa-tabs"
        selectedTabId={tab}
        onChange={(t) => setTab(t as 'sample' | 'disputes')}
        renderActiveTabPanelOnly
      >
        <Tab id="sample" title="Sample" panel={<SampleScreen />} />
        <Tab id="disputes" title="Disputes" panel={<DisputesPanel />} />
      </Tabs>
    );
  }
  return reviewer ? <SampleScreen /> : <DisputesPanel />;
}

function SampleScreen() {
  const [state, setState] = useState<ReviewState>('pending');
  const [search, setSearch] = useState('');
  const [reviews, setReviews] = useState<ReviewSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(() => {
    call('qa.reviews', { state })
      .then((r) => {
        setReviews(r.reviews);
        setError(null);
      })
      .catch((e: unknown) => setError(describeError(e)));
  }, [state]);
  useEffect(load, [load]);

  if (open) {
    return (
      <ReviewPanel
        id={open}
        onBack={() => setOpen(null)}
        onSubmitted={(message) => {
          setNotice(message);
          setOpen(null);
          load();
        }}
      />
    );
  }
  return (
    <section className="ld-qa" aria-labelledby="qa-sample-h">
      <div className="ld-approvals-head">
        <H2 id="qa-sample-h" className="ld-section-h" tabIndex={-1}>
          Sample to review
        </H2>
        <Button
          size="small"
          variant="minimal"
          icon="refresh"
          aria-label="Refresh the sample"
          onClick={load}
        />
      </div>
      <div role="status" data-testid="qa-notice">
        {notice && (
          <Callout compact intent="success" icon="endorsed">
            {notice}
          </Callout>
        )}
      </div>
      {error && (
        <Callout intent="warning" role="alert">
          <CalloutTitle>The sample needs the server</CalloutTitle>
          {error}
        </Callout>
      )}
      {!reviews && !error && <NonIdealState icon={<Spinner size={24} aria-label="Loading the sample" />} />}
      {reviews && (
        <SampleInbox
          reviews={reviews}
          state={state}
          search={search}
          onState={setState}
          onSearch={setSearch}
          onOpen={setOpen}
        />
      )}
    </section>
  );
}
