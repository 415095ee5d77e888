import { Checkbox, FormGroup, InputGroup, Radio, RadioGroup, Tag } from '@blueprintjs/core';
import type { ChecklistException } from '@shared/sop/engine';
import type { AnswerValue, AttachmentRef, SopField } from '@shared/sop/module';
import { DateField } from '../../components/DateField';
import { EvidenceAttach } from './EvidenceAttach';

interface Props {
  field: SopField;
  value: AnswerValue | undefined;
  exception: ChecklistException;
  problem: string | null;
  onChange(value: AnswerValue | undefined, typing?: boolean): void;
}

const domId = (field: SopField): string => `field-${field.id}`;

/** One typed SOP field. Values stay as the engine reads them: decimal text, ISO dates, option ids. */
export function FieldInput({ field, value, exception, problem, onChange }: Props) {
  const id = domId(field);
  const intent = problem ? 'danger' : 'none';
  const helper = problem ?? field.help;
  const label = (
    <>
      {field.label}
      {field.required ? null : <span className="ld-muted"> (optional)</span>}
    </>
  );
  const text = typeof value === 'string' ? value : '';

  switch (field.type) {
    case 'select':
      return (
        <fieldset className="ld-sop-fieldset" aria-describedby={helper ? `${id}-help` : undefined}>
          <legend className="ld-sop-legend">{label}</legend>
          <RadioGroup
            name={id}
            selectedValue={text}
            onChange={(e) => onChange(e.currentTarget.value)}
            className="ld-sop-radios"
          >
            {field.options.map((o) => (
              <Radio key={o.value} value={o.value} label={o.label} />
            ))}
          </RadioGroup>
          {helper && (
            <div id={`${id}-help`} className={`ld-small ${problem ? 'ld-error-text' : 'ld-muted'}`}>
              {helper}
            </div>
          )}
        </fieldset>
      );
    case 'multiselect': {
      const chosen = Array.isArray(value) ? (value as string[]) : [];
      return (
        <fieldset className="ld-sop-fieldset">
          <legend className="ld-sop-legend">{label}</legend>
          {field.options.map((o) => (
            <Checkbox
              key={o.value}
              label={o.label}
              checked={chosen.includes(o.value)}
              onChange={(e) => {
                const next = e.currentTarget.checked
                  ? [...chosen, o.value]
                  : chosen.filter((v) => v !== o.value);
                onChange(next.length ? next : undefined);
              }}
            />
          ))}
          {helper && <div className={`ld-small ${problem ? 'ld-error-text' : 'ld-muted'}`}>{helper}</div>}
        </fieldset>
      );
    }
    case 'money': {
      const currency = field.currency === 'variance' ? exception.variance.currency : field.currency;
      const amount = value && typeof value === 'object' && 'amount' in value ? value.amount : '';
      return (
        <FormGroup label={label} labelFor={id} helperText={helper} intent={intent}>
          <InputGroup
            id={id}
            inputMode="decimal"
            autoComplete="off"
            value={amount}
            intent={intent}
            rightElement={<Tag minimal>{currency}</Tag>}
            onValueChange={(v) => onChange(v.trim() ? { amount: v.trim(), currency } : undefined, true)}
          />
        </FormGroup>
      );
    }
    case 'file':
      return (
        <EvidenceAttach
          field={field}
          files={Array.isArray(value) ? (value as AttachmentRef[]) : []}
          label={label}
          problem={problem}
          onChange={(files) => onChange(files)}
        />
      );
    case 'date':
      return (
        <FormGroup label={label} labelFor={id} helperText={helper} intent={intent}>
          <DateField
            id={id}
            value={text}
            intent={intent}
            onChange={(v) => onChange(v === '' ? undefined : v, true)}
          />
        </FormGroup>
      );
    default:
      return (
        <FormGroup label={label} labelFor={id} helperText={helper} intent={intent}>
          <InputGroup
            id={id}
            inputMode={field.type === 'number' ? 'decimal' : undefined}
            autoComplete="off"
            value={text}
            intent={intent}
            rightElement={field.type === 'number' && field.unit ? <Tag minimal>{field.unit}</Tag> : undefined}
            onValueChange={(v) => onChange(v === '' ? undefined : v, true)}
          />
        </FormGroup>
      );
  }
}
