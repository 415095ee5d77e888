import { EXCEPTION_TYPES, type ExceptionType } from '@shared/exception-types';
import type { Role } from '@shared/roles';

export const DEMO_PASSWORD = 'ledgerdesk-demo';

export interface DemoUser {
  /** Fixed ids, so the demo generator's assignments (shared/demo DEMO_ASSIGNEE_IDS) resolve. */
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
}

export const DEMO_USERS: readonly DemoUser[] = [
  { id: 'user-operator1', username: 'operator1', displayName: 'Priya Raman', roles: ['operator'] },
  { id: 'user-operator2', username: 'operator2', displayName: 'Miguel Santos', roles: ['operator'] },
  { id: 'user-qa1', username: 'qa1', displayName: 'Aisha Bello', roles: ['qa'] },
  { id: 'user-trainer1', username: 'trainer1', displayName: 'Tomasz Nowak', roles: ['trainer'] },
  { id: 'user-lead1', username: 'lead1', displayName: 'Grace Liu', roles: ['lead'] },
  {
    id: 'user-admin1',
    username: 'admin1',
    displayName: 'Daniel Okafor',
    roles: ['admin', 'operator', 'qa', 'trainer', 'lead'],
  },
];

/**
 * What each demo operator has been trained on, as exception types: the seed certifies them on
 * every module covering these types by passing its exercises through the practice scorer (the
 * same path as POST /api/practice/:module/attempts), and routing derives the allowed types from
 * those certifications. operator1 works everything; operator2 only the usage and billing types,
 * so allocation visibly narrows. Leads and admins are not trained (admin1 holds the operator role
 * for the screens, but no certifications).
 */
export const DEMO_WORK_TYPES: Readonly<Record<string, readonly ExceptionType[]>> = {
  'user-operator1': EXCEPTION_TYPES,
  'user-operator2': [
    'usage_mismatch',
    'metering_rejected',
    'duplicate_metering',
    'late_metering',
    'rate_mismatch',
    'discount_not_applied',
    'listing_fee_mismatch',
    'credit_not_applied',
  ],
};
