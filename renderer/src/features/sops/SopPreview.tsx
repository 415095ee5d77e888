import { useEffect, useState } from 'react';
import { Callout, FormGroup, H2, HTMLSelect, NonIdealState, Spinner, Tag } from '@blueprintjs/core';
import type { SopModule } from '@shared/sop/module';
import { RESOLUTION_CODES } from '@shared/resolution';
import { call, describeError } from '../../bridge';
import { ACTION_LABELS } from '../../lib/labels';
import { ChecklistPanel } from '../workspace/ChecklistPanel';
import { usePreviewChecklist } from './usePreviewChecklist';

/** One version as an operator would work it, against one of its exercises, in a sandbox. */
export function SopPreview({ moduleId, version }: { moduleId: string; version: string }) {
  const [module, setModule] = useState<SopModule | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [exerciseId, setExerciseId] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    call('sops.version', { module: moduleId, version })
      .then((r) => {
        if (!live) return;
        setModule(r.module);
        setExerciseId(r.module.exerciseList[0]?.id ?? null);
      })
      .catch((e: unknown) => live && setError(describeError(e)));
    return () => {
      live = false;
    };
  }, [moduleId, version]);

  if (error) {
    return (
      <Callout intent="warning" role="alert">
        {error}
      </Callout>
    );
  }
  if (!module) return <NonIdealState icon={<Spinner size={24} aria-label="Loading the version" />} />;
  const exercise = module.exerciseList.find((x) => x.id === exerciseId) ?? null;
  return (
    <section aria-labelledby="sop-preview-h" className="ld-sop-preview" data-testid="sop-preview">
      <H2 id="sop-preview-h" className="ld-section-h">
        Preview: {module.title} v{module.version}
      </H2>
      <Callout compact icon="lab-test" role="note">
        A sandbox: answers here are not saved, queued or audited.
      </Callout>
      {module.exerciseList.length === 0 ? (
        <p className="ld-muted">This version has no exercises to preview against.</p>
      ) : (
        <FormGroup label="Exercise" labelFor="sop-preview-exercise" inline>
          <HTMLSelect
            id="sop-preview-exercise"
            value={exerciseId ?? ''}
            onChange={(e) => setExerciseId(e.currentTarget.value)}
            options={module.exerciseList.map((x) => ({ value: x.id, label: x.title }))}
          />
        </FormGroup>
      )}
      {exercise && (
        <ExercisePreview key={`${module.version}:${exercise.id}`} module={module} exercise={exercise} />
      )}
    </section>
  );
}

function ExercisePreview({
  module,
  exercise,
}: {
  module: SopModule;
  exercise: SopModule['exerciseList'][number];
}) {
  const model = usePreviewChecklist(module, exercise.exception);
  const expected = exercise.expected.resolution;
  return (
    <>
      <p className="ld-small">
        <span className="ld-mono">{exercise.exception.id}</span> · {exercise.exception.customerName} ·
        expected resolution <Tag minimal>{expected.code}</Tag> {RESOLUTION_CODES[expected.code]} (
        {ACTION_LABELS[expected.action]})
      </p>
      <ChecklistPanel model={model} exception={exercise.exception} />
      {model.state && (
        <p className="ld-small" data-testid="sop-preview-offered">
          {model.state.complete
            ? `Resolutions offered: ${model.state.resolutions.map((r) => r.code).join(', ') || 'none'}`
            : `Not complete yet: ${model.state.blockers.length} step(s) to go.`}
        </p>
      )}
    </>
  );
}
