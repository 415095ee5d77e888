import { forwardRef, useImperativeHandle, useRef, useState, type ReactNode } from 'react';
import { Button, Callout } from '@blueprintjs/core';
import type { z } from 'zod';
import type { sopUploadResponseSchema } from '@shared/api/sop-library';
import type { BridgeIssue } from '@shared/ipc/envelope';
import { call, describeError, isBridgeCallError } from '../../bridge';
import { CalloutTitle } from '../../components/CalloutTitle';
import { CommandKey } from '../../commands/CommandKey';
import { toBase64 } from '../../lib/evidence-file';

export type Loaded = z.infer<typeof sopUploadResponseSchema>;
export interface SopLoadHandle {
  pick(): void;
}

type Outcome =
  | { kind: 'loaded'; name: string; loaded: Loaded }
  | { kind: 'refused'; name: string; message: string; issues: readonly BridgeIssue[] };

/**
 * Loads a module file as a draft: the bytes go to the server, which checks the whole module
 * and stores nothing unless it is clean. Every problem is listed as the server names it
 * (file and line, or sheet and row, and the field).
 */
export const SopLoad = forwardRef<SopLoadHandle, { onLoaded(loaded: Loaded): void; children?: ReactNode }>(
  function SopLoad({ onLoaded, children }, ref) {
    const input = useRef<HTMLInputElement>(null);
    const [busy, setBusy] = useState(false);
    const [outcome, setOutcome] = useState<Outcome | null>(null);
    const result = useRef<HTMLDivElement>(null);
    useImperativeHandle(ref, () => ({ pick: () => input.current?.click() }));

    const load = async (file: File): Promise<void> => {
      setBusy(true);
      setOutcome(null);
      try {
        const loaded = await call('sops.upload', {
          name: file.name,
          data: toBase64(await file.arrayBuffer()),
        });
        setOutcome({ kind: 'loaded', name: file.name, loaded });
        onLoaded(loaded);
      } catch (e) {
        setOutcome({
          kind: 'refused',
          name: file.name,
          message: describeError(e),
          issues: isBridgeCallError(e) ? e.issues : [],
        });
      } finally {
        setBusy(false);
        // The outcome is where the trainer reads next; its heading takes focus.
        requestAnimationFrame(() =>
          result.current?.querySelector<HTMLElement>('[data-outcome-title]')?.focus(),
        );
      }
    };

    return (
      <div className="ld-sop-load">
        <div className="ld-sop-toolbar">
          <input
            ref={input}
            type="file"
            accept=".zip,.xlsx,.yaml,.yml,.md"
            className="ld-visually-hidden"
            aria-label="Module file to load"
            data-testid="sop-file"
            tabIndex={-1}
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              e.currentTarget.value = '';
              if (file) void load(file);
            }}
          />
          <Button icon="upload" loading={busy} onClick={() => input.current?.click()}>
            Load a module… <CommandKey id="sops.load" />
          </Button>
          {children}
        </div>
        <div ref={result} role="status" data-testid="sop-load-result">
          {outcome?.kind === 'loaded' && (
            <Callout compact intent="success" icon="tick">
              <CalloutTitle>
                <span tabIndex={-1} data-outcome-title>
                  Loaded {outcome.loaded.draft.moduleId} v{outcome.loaded.draft.version} as a draft
                </span>
              </CalloutTitle>
              From {outcome.name} ({outcome.loaded.kind}).{' '}
              {outcome.loaded.changes.length > 0
                ? `What operators will notice: ${outcome.loaded.changes.join('; ')}.`
                : 'No change an operator will notice against the published version.'}
            </Callout>
          )}
          {outcome?.kind === 'refused' && (
            <Callout compact intent="danger" icon="error">
              <CalloutTitle>
                <span tabIndex={-1} data-outcome-title>
                  {outcome.name} was not loaded; nothing was stored
                </span>
              </CalloutTitle>
              {outcome.issues.length === 0 ? (
                <p>{outcome.message}</p>
              ) : (
                <ul className="ld-sop-problems" aria-label={`Problems in ${outcome.name}`}>
                  {outcome.issues.map((i, n) => (
                    <li key={n}>
                      <code className="ld-mono">{i.path}</code> {i.message}
                    </li>
                  ))}
                </ul>
              )}
            </Callout>
          )}
        </div>
      </div>
    );
  },
);
