import { useState } from 'react';
import { InputGroup, type Intent } from '@blueprintjs/core';
import { formatDate } from '../lib/format';
import { parseDateInput } from '../lib/date-input';

interface Props {
  id: string;
  /** An ISO date ("2026-07-09") or '' for none. */
  value: string;
  intent?: Intent;
  /** An ISO date, or '' while the text is empty or not a date (the form says which). */
  onChange(isoDate: string): void;
  /** Whether the typed text is a date, for the form to word its message. */
  onValidityChange?(typedButNotADate: boolean): void;
  'aria-describedby'?: string;
}

/**
 * A date typed in the app's one format ("09 Jul 2026"; ISO also accepted). A native date input
 * shows the browser's locale (mm/dd/yyyy on most machines), which is the format this replaces.
 */
export function DateField({ id, value, intent, onChange, onValidityChange, ...rest }: Props) {
  const [text, setText] = useState(value ? formatDate(value) : '');
  // A value set from outside (a restored draft) shows in the app's format; the text being typed
  // (not a date yet, or this very date) is left alone.
  const [shownValue, setShownValue] = useState(value);
  if (value !== shownValue) {
    setShownValue(value);
    if ((parseDateInput(text) ?? '') !== value) setText(value ? formatDate(value) : '');
  }

  return (
    <InputGroup
      id={id}
      autoComplete="off"
      placeholder="09 Jul 2026"
      value={text}
      intent={intent}
      aria-describedby={rest['aria-describedby']}
      onValueChange={(next) => {
        setText(next);
        const iso = parseDateInput(next);
        onValidityChange?.(next.trim() !== '' && iso === null);
        onChange(iso ?? '');
      }}
      onBlur={() => {
        const iso = parseDateInput(text);
        if (iso) setText(formatDate(iso));
      }}
    />
  );
}
