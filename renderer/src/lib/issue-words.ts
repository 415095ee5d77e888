import type { BridgeIssue } from '@shared/ipc/envelope';

/**
 * What each input field is called where a person reads it. Paths are the schema's (the last
 * segment is enough: "resolution.code" and "code" are the same field to the reader).
 */
const FIELD_NAMES: Readonly<Record<string, string>> = {
  code: 'resolution code',
  action: 'action',
  note: 'note',
  amount: 'amount',
  followUpDate: 'follow-up date',
  reason: 'reason',
  text: 'note',
  username: 'user name',
  password: 'password',
  serverUrl: 'server address',
  assigneeId: 'operator',
  name: 'name',
  currency: 'currency',
};

/** What to do about a field with no value or a value not on its list. */
const CHOOSE: Readonly<Record<string, string>> = {
  code: 'Choose a resolution code',
  action: 'Choose an action',
  followUpDate: 'Choose a follow-up date, such as 09 Jul 2026',
  assigneeId: 'Choose an operator',
  currency: 'Choose a currency',
};

function fieldKey(path: string): string {
  const parts = path.split('.').filter((p) => !/^\d+$/.test(p));
  // "amount.amount" is the number inside a money value: the reader sees one "amount" field.
  return parts[parts.length - 1] ?? path;
}

function fieldName(path: string): string {
  return FIELD_NAMES[fieldKey(path)] ?? 'value';
}

/**
 * One validation issue as a sentence a person can act on ("Choose a resolution code"), never
 * the schema's own text (`Invalid option: expected one of "19"|"24"|…`) or a field's code name.
 */
export function issueInWords(issue: BridgeIssue): string {
  // A message the service already wrote for people ("enter your user name") is kept as it is.
  if (isWritten(issue.message)) return capitalise(issue.message);
  const key = fieldKey(issue.path);
  const m = issue.message.toLowerCase();
  const name = fieldName(issue.path);
  if (CHOOSE[key] && (m.includes('invalid option') || m.includes('expected') || m.includes('required')))
    return CHOOSE[key];
  if (m.includes('nul byte') || m.includes('surrogate'))
    return `The ${name} holds a character that cannot be saved; retype it`;
  if (m.includes('too big') || m.includes('too long') || m.includes('<=')) return `The ${name} is too long`;
  // The schema's own "needs ..." rules (a write-off needs the amount, pending partner a date).
  if (m.includes('needs') || m.includes('say what you did'))
    return CHOOSE[key] ?? (key === 'note' ? 'Write a note: say what you did and why' : `Enter the ${name}`);
  if (m.includes('too small') || m.includes('>=') || m.includes('at least')) {
    const n = /(\d+)/.exec(issue.message)?.[1];
    if (n === '1') return `Write the ${name}`;
    return n ? `The ${name} needs at least ${n} characters` : `Write the ${name}`;
  }
  if (key === 'amount') return 'Write the amount as a number, such as -1142.50';
  if (m.includes('date')) return `Write the ${name} as a date, such as 09 Jul 2026`;
  if (CHOOSE[key]) return CHOOSE[key];
  return `Check the ${name}`;
}

/**
 * Schema default texts start with the rule ("Invalid option", "Too small", "Expected string")
 * or quote values; a snake_case word is a code name. Anything else was written for a reader.
 */
function isWritten(message: string): boolean {
  if (/^(invalid|too (big|small)|expected|required|unrecognized)/i.test(message)) return false;
  if (/["|<>=]|\b[a-z]+_[a-z_]+\b|\bneeds\b|say what you did|nul byte|surrogate/i.test(message)) return false;
  return /^[a-z][a-z ,'’-]+$/i.test(message.trim());
}

function capitalise(text: string): string {
  const t = text.trim();
  return t.charAt(0).toUpperCase() + t.slice(1);
}

/** Issues in words, one sentence each, duplicates dropped (two schema rules on one field read as one). */
export function issuesInWords(issues: readonly BridgeIssue[]): string[] {
  return [...new Set(issues.map(issueInWords))];
}
