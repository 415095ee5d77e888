import { useEffect, useState, type FormEvent } from 'react';
import { Button, FormGroup, HTMLSelect, InputGroup } from '@blueprintjs/core';
import { CHANNELS, CHANNEL_LABELS, type Channel } from '@shared/exception-types';
import type { KpiQuery } from '@shared/kpis/filters';
import { DateField } from '../../components/DateField';
import { useTeam } from '../team/team-state';

interface Props {
  value: KpiQuery;
  /** Partners the last answer named, offered as suggestions (any account id may be typed). */
  partners: readonly string[];
  loading: boolean;
  onApply(query: KpiQuery): void;
}

/**
 * Period, channel, partner, team and operator. Applied together (Enter or Apply), so a lead
 * typing a partner id does not send a query per keystroke.
 */
export function KpiFilters({ value, partners, loading, onApply }: Props) {
  const [draft, setDraft] = useState<KpiQuery>(value);
  // A new answer (the server's default period filled in) resets the fields to what was counted.
  const [shownValue, setShownValue] = useState(value);
  if (value !== shownValue) {
    setShownValue(value);
    setDraft(value);
  }
  const operators = useTeam((s) => s.operators);
  useEffect(() => {
    if (!useTeam.getState().operators) void useTeam.getState().load();
  }, []);
  const set = (patch: Partial<KpiQuery>) => setDraft((d) => ({ ...d, ...patch }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const trimmed = Object.entries(draft).map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v]);
    onApply(Object.fromEntries(trimmed.filter(([, v]) => v !== undefined && v !== '')) as KpiQuery);
  };
  return (
    <form className="ld-kpi-filters" aria-label="Dashboard filters" onSubmit={submit}>
      <FormGroup label="From" labelFor="kpi-from">
        <DateField id="kpi-from" value={draft.from ?? ''} onChange={(d) => set({ from: d || undefined })} />
      </FormGroup>
      <FormGroup label="To" labelFor="kpi-to">
        <DateField id="kpi-to" value={draft.to ?? ''} onChange={(d) => set({ to: d || undefined })} />
      </FormGroup>
      <FormGroup label="Channel" labelFor="kpi-channel">
        <HTMLSelect
          id="kpi-channel"
          value={draft.channel ?? ''}
          onChange={(e) => set({ channel: (e.currentTarget.value || undefined) as Channel | undefined })}
        >
          <option value="">All channels</option>
          {CHANNELS.map((c) => (
            <option key={c} value={c}>
              {CHANNEL_LABELS[c]}
            </option>
          ))}
        </HTMLSelect>
      </FormGroup>
      <FormGroup label="Partner account" labelFor="kpi-partner">
        <InputGroup
          id="kpi-partner"
          list="kpi-partners"
          placeholder="All partners"
          value={draft.partner ?? ''}
          onValueChange={(v) => set({ partner: v })}
        />
        <datalist id="kpi-partners">
          {partners.map((p) => (
            <option key={p} value={p} />
          ))}
        </datalist>
      </FormGroup>
      <FormGroup label="Team" labelFor="kpi-team">
        <InputGroup
          id="kpi-team"
          placeholder="All teams"
          value={draft.team ?? ''}
          onValueChange={(v) => set({ team: v })}
        />
      </FormGroup>
      <FormGroup label="Operator" labelFor="kpi-operator">
        <HTMLSelect
          id="kpi-operator"
          value={draft.operator ?? ''}
          onChange={(e) => set({ operator: e.currentTarget.value || undefined })}
        >
          <option value="">All operators</option>
          {(operators ?? []).map((o) => (
            <option key={o.id} value={o.id}>
              {o.displayName}
            </option>
          ))}
        </HTMLSelect>
      </FormGroup>
      <Button type="submit" intent="primary" icon="filter" loading={loading} className="ld-kpi-apply">
        Apply
      </Button>
    </form>
  );
}
