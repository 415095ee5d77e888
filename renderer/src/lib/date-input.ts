const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

function isoIfReal(year: number, month: number, day: number): string | null {
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return d.toISOString().slice(0, 10);
}

/**
 * A typed date in the app's format ("09 Jul 2026", "9 july 2026") or ISO ("2026-07-09") as an
 * ISO date, or null. Slashed dates are refused on purpose: 03/04/2026 means March to one
 * operator and April to the next, so the app never guesses which.
 */
export function parseDateInput(text: string): string | null {
  const t = text.trim().toLowerCase().replace(/,/g, ' ').replace(/\s+/g, ' ');
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (iso) return isoIfReal(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const words = /^(\d{1,2})[ -]([a-z]{3,9})\.?[ -](\d{4})$/.exec(t);
  if (words) {
    // "jul", "july" and "sept" name a month; "ju" or "julyy" do not.
    const word = words[2] ?? '';
    const month = MONTHS.findIndex((m) => m.startsWith(word)) + 1;
    if (month === 0 || word.length < 3) return null;
    return isoIfReal(Number(words[3]), month, Number(words[1]));
  }
  return null;
}
