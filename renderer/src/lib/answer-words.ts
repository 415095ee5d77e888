import type { AnswerValue, Answers, SopField, SopModule } from '@shared/sop/module';
import { formatDate } from './format';
import { formatAmount } from './money-format';

export interface AnswerLine {
  key: string;
  /** The step's title or the field's label, as the operator saw it. */
  label: string;
  /** The answer in words: option labels, "Yes"/"No", amounts with their currency, dates formatted. */
  value: string;
}

/** An id such as "account-role" read out when the module that defines it is not on this computer. */
function humanize(id: string): string {
  const words = id.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function optionLabel(field: SopField, value: string): string {
  if (field.type !== 'select' && field.type !== 'multiselect') return value;
  return field.options.find((o) => o.value === value)?.label ?? value;
}

function inWords(value: AnswerValue, field: SopField | null): string {
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'string') {
    if (field?.type === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value);
    return field ? optionLabel(field, value) : value;
  }
  if (Array.isArray(value)) {
    const items = value as readonly (string | { name: string })[];
    return items
      .map((v) => (typeof v === 'string' ? (field ? optionLabel(field, v) : v) : v.name))
      .join(', ');
  }
  return formatAmount(value);
}

/**
 * What an operator answered, as a reviewer or lead reads it: in the module's step order, with
 * the labels the operator saw, never field ids or JSON. Files are listed by name (the evidence
 * section opens them); answers the module does not define (another version) come last, named
 * from their ids.
 */
export function describeAnswers(module: SopModule | null, answers: Answers): AnswerLine[] {
  const lines: AnswerLine[] = [];
  const seen = new Set<string>();
  for (const step of module?.stepList ?? []) {
    // A check or action step's tick is stored under the step's id (a decision's field may share it).
    const confirmed = step.fields.some((f) => f.id === step.id) ? undefined : answers[step.id];
    if (confirmed !== undefined) {
      seen.add(step.id);
      lines.push({
        key: step.id,
        label: step.title,
        value: confirmed === true ? 'Done' : inWords(confirmed, null),
      });
    }
    for (const field of step.fields) {
      const value = answers[field.id];
      if (value === undefined || seen.has(field.id)) continue;
      seen.add(field.id);
      lines.push({ key: field.id, label: field.label, value: inWords(value, field) });
    }
  }
  for (const [key, value] of Object.entries(answers)) {
    if (!seen.has(key)) lines.push({ key, label: humanize(key), value: inWords(value, null) });
  }
  return lines;
}
