import type { User } from '@shared/roles';

/**
 * A user id as a person reads it: the display name when the team list knows it, "you" for the
 * signed-in user, else the sign-in name inside the id ("user-operator2" -> "operator2"), which is
 * what colleagues call each other by; the raw id is never shown.
 */
export function personName(
  id: string,
  names: ReadonlyMap<string, string>,
  self: Pick<User, 'id' | 'displayName'> | null | undefined,
): string {
  if (self && id === self.id) return `${self.displayName} (you)`;
  const known = names.get(id);
  if (known) return known;
  return id.replace(/^user-/, '');
}
