import { FormGroup, TextArea } from '@blueprintjs/core';

export const MIN_REASON = 3;

/** The required "why" of a team action; it goes to the audit log and the old holder's lost lease. */
export function ReasonField({
  id,
  value,
  onChange,
  onSubmit,
  autoFocus = false,
}: {
  /** The dialog's first field takes focus as it opens. */
  autoFocus?: boolean;
  id: string;
  value: string;
  onChange(value: string): void;
  onSubmit(): void;
}) {
  return (
    <FormGroup
      label="Reason"
      labelFor={id}
      labelInfo="(required)"
      helperText="Recorded in the audit log; the operator who loses the item sees it. Enter to confirm."
    >
      <TextArea
        id={id}
        autoFocus={autoFocus}
        fill
        rows={2}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault();
            onSubmit();
          }
        }}
      />
    </FormGroup>
  );
}
