import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, Callout, FormGroup, H2, Tab, Tabs, TextArea } from '@blueprintjs/core';
import type { SopVersionSummary } from '@shared/api/sop-library';
import { compareSemver, majorOf } from '@shared/sop/versioning';
import { call, describeError } from '../../bridge';
import { CommandKey } from '../../commands/CommandKey';
import { useCommands } from '../../commands/useCommands';
import { NO_TRANSITION } from '../../lib/overlay';
import { useSession } from '../../state/session';
import { saveBytes } from '../../lib/evidence-file';
import { CertificationMatrix, MatrixError, useCertificationMatrix } from './CertificationMatrix';
import { SopDiff } from './SopDiff';
import { SopLibraryGrid, rowKey, type LibraryRow } from './SopLibraryGrid';
import { SopLoad, type Loaded, type SopLoadHandle } from './SopLoad';
import { SopPreview } from './SopPreview';

type Pane = { kind: 'preview' } | { kind: 'diff'; from: string } | null;

/**
 * Trainers' SOP library: every module version (draft, published, retired), loading a module
 * from a file, a sandboxed preview, publish and retire, a diff of two versions, and the
 * certification matrix. Everything here is decided on the server (online only).
 */
export function SopsScreen() {
  const [versions, setVersions] = useState<SopVersionSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [pane, setPane] = useState<Pane>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [changes, setChanges] = useState<Record<string, string>>({});
  const [confirm, setConfirm] = useState<'publish' | 'retire' | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [tab, setTab] = useState<'library' | 'certification'>('library');
  const { matrix, error: matrixError, reload: reloadMatrix } = useCertificationMatrix();
  const loader = useRef<SopLoadHandle>(null);
  // Leads read the library; loading, publishing and retiring are trainers' and admins' (the server checks too).
  const canChange = useSession(
    (s) => s.session?.user.roles.some((r) => r === 'trainer' || r === 'admin') ?? false,
  );

  const load = useCallback(() => {
    call('sops.library', {})
      .then((r) => {
        setVersions(r.versions);
        setError(null);
      })
      .catch((e: unknown) => setError(describeError(e)));
  }, []);
  useEffect(load, [load]);

  const rows = useMemo<LibraryRow[]>(
    () =>
      (versions ?? []).map((v) => ({
        ...v,
        key: rowKey(v),
        certified: matrix
          ? matrix.operators.filter((o) =>
              o.cells.some((c) => c.moduleId === v.moduleId && c.major === majorOf(v.version)),
            ).length
          : null,
        changed: changes[rowKey(v)] ?? '',
      })),
    [versions, matrix, changes],
  );
  const current = rows.find((r) => r.key === selected) ?? null;
  const previous = current
    ? rows
        .filter((r) => r.moduleId === current.moduleId && compareSemver(r.version, current.version) < 0)
        .sort((a, b) => compareSemver(a.version, b.version))
        .pop()
    : undefined;

  const onLoaded = (loaded: Loaded): void => {
    const key = rowKey(loaded.draft);
    setChanges((c) => ({ ...c, [key]: loaded.changes.join('; ') || 'wording only, or new' }));
    setSelected(key);
    setPane(null);
    load();
  };

  const act = async (what: 'publish' | 'retire'): Promise<void> => {
    if (!current) return;
    setBusy(true);
    try {
      const target = { module: current.moduleId, version: current.version };
      if (what === 'publish') await call('sops.publish', target);
      else await call('sops.retire', { ...target, reason: reason.trim() });
      setNotice(
        what === 'publish'
          ? `Published ${current.moduleId} v${current.version}: every desk receives it on its next sync.`
          : `Retired ${current.moduleId} v${current.version}: no new item starts on it.`,
      );
      setConfirm(null);
      load();
      reloadMatrix();
    } catch (e) {
      setNotice(describeError(e));
      setConfirm(null);
    } finally {
      setBusy(false);
    }
  };

  const exportWorkbook = async (): Promise<void> => {
    if (!current) return;
    try {
      const file = await call('sops.template', { module: current.moduleId });
      saveBytes(file.name, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', file.data);
    } catch (e) {
      setNotice(describeError(e));
    }
  };

  useCommands({
    'sops.load': { perform: () => loader.current?.pick(), enabled: () => canChange },
    'sops.preview': { perform: () => setPane({ kind: 'preview' }), enabled: () => current !== null },
    'sops.publish': {
      perform: () => setConfirm('publish'),
      enabled: () => canChange && current?.state === 'draft',
    },
    'sops.retire': {
      perform: () => (setReason(''), setConfirm('retire')),
      enabled: () => canChange && current?.state === 'published',
    },
    'sops.diff': {
      perform: () => previous && setPane({ kind: 'diff', from: previous.version }),
      enabled: () => previous !== undefined,
    },
  });

  const library = (
    <div className="ld-sop-library">
      <div className="ld-sop-list">
        {canChange ? (
          <SopLoad ref={loader} onLoaded={onLoaded}>
            <Button variant="minimal" icon="refresh" aria-label="Refresh the library" onClick={load} />
          </SopLoad>
        ) : (
          <Button variant="minimal" icon="refresh" aria-label="Refresh the library" onClick={load} />
        )}
        {error && (
          <Callout intent="warning" role="alert">
            {error}
          </Callout>
        )}
        <SopLibraryGrid rows={rows} onFocusRow={setSelected} />
      </div>
      <div className="ld-sop-detail">
        <div role="status" data-testid="sop-notice">
          {notice && (
            <Callout compact icon="info-sign">
              {notice}
            </Callout>
          )}
        </div>
        {current ? (
          <>
            <H2 className="ld-section-h">
              {current.title} <span className="ld-mono">v{current.version}</span> · {current.state}
            </H2>
            <div className="ld-sop-actions">
              <Button icon="eye-open" onClick={() => setPane({ kind: 'preview' })}>
                Preview <CommandKey id="sops.preview" />
              </Button>
              <Button
                icon="send-message"
                intent="primary"
                disabled={!canChange || current.state !== 'draft'}
                onClick={() => setConfirm('publish')}
              >
                Publish <CommandKey id="sops.publish" />
              </Button>
              <Button
                icon="disable"
                disabled={!canChange || current.state !== 'published'}
                onClick={() => (setReason(''), setConfirm('retire'))}
              >
                Retire <CommandKey id="sops.retire" />
              </Button>
              <Button
                icon="comparison"
                disabled={!previous}
                onClick={() => previous && setPane({ kind: 'diff', from: previous.version })}
              >
                Compare with v{previous?.version ?? '—'} <CommandKey id="sops.diff" />
              </Button>
              <Button icon="th-derived" variant="minimal" onClick={() => void exportWorkbook()}>
                Export workbook
              </Button>
            </div>
            {pane?.kind === 'preview' && (
              <SopPreview key={current.key} moduleId={current.moduleId} version={current.version} />
            )}
            {pane?.kind === 'diff' && (
              <SopDiff key={current.key} moduleId={current.moduleId} from={pane.from} to={current.version} />
            )}
          </>
        ) : (
          <p className="ld-muted">Choose a version in the list (arrow keys), or load a module from a file.</p>
        )}
      </div>
    </div>
  );

  return (
    <section className="ld-sops" aria-label="SOP library">
      <Tabs id="sops-tabs" selectedTabId={tab} onChange={(t) => setTab(t as typeof tab)}>
        <Tab id="library" title="Library" panel={library} />
        <Tab
          id="certification"
          title="Certification"
          panel={matrixError ? <MatrixError error={matrixError} /> : <CertificationMatrix matrix={matrix} />}
        />
      </Tabs>
      <Alert
        {...NO_TRANSITION}
        isOpen={confirm === 'publish'}
        intent="primary"
        icon="send-message"
        confirmButtonText="Publish"
        cancelButtonText="Not yet"
        canEscapeKeyCancel
        loading={busy}
        onOpened={(el) => el.querySelector<HTMLElement>('.bp6-alert-footer .bp6-button')?.focus()}
        onCancel={() => setConfirm(null)}
        onConfirm={() => void act('publish')}
      >
        <p>
          Publish {current?.moduleId} v{current?.version}? It becomes immutable and every desk receives it by
          sync; items already started keep the version they began with.
        </p>
      </Alert>
      <Alert
        {...NO_TRANSITION}
        isOpen={confirm === 'retire'}
        intent="danger"
        icon="disable"
        confirmButtonText="Retire"
        cancelButtonText="Keep it"
        canEscapeKeyCancel
        loading={busy}
        onCancel={() => setConfirm(null)}
        onConfirm={() => (reason.trim() ? void act('retire') : undefined)}
      >
        <p>
          Retire {current?.moduleId} v{current?.version}? No new item starts on it; items already started keep
          it.
        </p>
        <FormGroup label="Reason (required)" labelFor="sop-retire-reason">
          <TextArea
            id="sop-retire-reason"
            autoFocus
            fill
            rows={2}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
          />
        </FormGroup>
      </Alert>
    </section>
  );
}
