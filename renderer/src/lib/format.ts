import type { Intent } from '@blueprintjs/core';
import type { Channel } from '../../../shared/exception-types';
import type { ExceptionStatus } from '../../../shared/exception-status';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const DAY = 24 * HOUR;

export type SlaLevel = 'overdue' | 'soon' | 'ok';

export function slaLevel(dueAt: string, now: number): SlaLevel {
  const left = Date.parse(dueAt) - now;
  if (left < 0) return 'overdue';
  if (left < DAY) return 'soon';
  return 'ok';
}

/** "12d", "2d 3h", "5h 12m", "18m": the coarse remaining (or overdue) time an operator scans for. */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs >= 3 * DAY) return `${Math.floor(abs / DAY)}d`;
  if (abs >= DAY) {
    const d = Math.floor(abs / DAY);
    const h = Math.floor((abs % DAY) / HOUR);
    return h ? `${d}d ${h}h` : `${d}d`;
  }
  if (abs >= HOUR) {
    const h = Math.floor(abs / HOUR);
    const m = Math.floor((abs % HOUR) / MINUTE);
    return m ? `${h}h ${m}m` : `${h}h`;
  }
  return `${Math.max(1, Math.floor(abs / MINUTE))}m`;
}

export function formatSla(dueAt: string, now: number): string {
  const left = Date.parse(dueAt) - now;
  return left < 0 ? `${formatDuration(left)} overdue` : `${formatDuration(left)} left`;
}

const dateTimeFmt = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: 'short',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});
const dateFmt = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric',
  month: 'short',
  day: '2-digit',
  timeZone: 'UTC',
});
const timeFmt = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

export function formatDateTime(iso: string): string {
  return dateTimeFmt.format(new Date(iso));
}

/** Calendar dates (YYYY-MM-DD) are dates, not instants: format them in UTC so no timezone shifts them. */
export function formatDate(isoDate: string): string {
  return dateFmt.format(new Date(`${isoDate}T00:00:00Z`));
}

/** "2026-03-01 → 03-31" when the period stays in one year (the usual month), else both dates in full. */
export function formatPeriod(start: string, end: string): string {
  if (start.slice(0, 4) === end.slice(0, 4)) return `${start} → ${end.slice(5)}`;
  return `${start} → ${end}`;
}

export function formatTime(iso: string): string {
  return timeFmt.format(new Date(iso));
}

export function formatRelative(iso: string, now: number): string {
  const diff = now - Date.parse(iso);
  if (diff < 45_000) return 'just now';
  return `${formatDuration(diff)} ago`;
}

export const CHANNEL_SHORT: Readonly<Record<Channel, string>> = {
  aws: 'AWS',
  azure: 'Azure',
  gcp: 'GCP',
  reseller: 'Reseller',
  direct: 'Direct',
};

export const STATUS_INTENT: Readonly<Record<ExceptionStatus, Intent>> = {
  open: 'primary',
  assigned: 'none',
  in_progress: 'primary',
  pending_partner: 'warning',
  pending_approval: 'warning',
  escalated: 'danger',
  resolved: 'success',
  rework: 'danger',
  closed: 'none',
  auto_cleared: 'none',
};

const intFmt = new Intl.NumberFormat('en-US');
export function formatCount(n: number): string {
  return intFmt.format(n);
}

/** Sign of a decimal string without turning it into a float. */
export function isNegativeAmount(amount: string): boolean {
  return amount.startsWith('-') && /[1-9]/.test(amount);
}
