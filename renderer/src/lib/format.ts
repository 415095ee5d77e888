import type { Intent } from '@blueprintjs/core';
import type { Channel } from '@shared/exception-types';
import type { ExceptionStatus } from '@shared/exception-status';

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
const dayMonthFmt = new Intl.DateTimeFormat('en-GB', { month: 'short', day: '2-digit', timeZone: 'UTC' });
const timeFmt = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/** The one date-and-time format of the app: "09 Jul 2026, 15:22", in the operator's time zone. */
export function formatDateTime(iso: string): string {
  return dateTimeFmt.format(new Date(iso));
}

/**
 * The operator's time zone as the app states it next to times: "Europe/Berlin (GMT+1)", or
 * "UTC". Read from the system each time: a laptop flown to another office changes zone.
 */
export function timeZoneLabel(at: Date = new Date()): string {
  const zone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
  const offset =
    new Intl.DateTimeFormat('en-GB', { timeZoneName: 'shortOffset' })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  if (zone === 'UTC' || zone === 'Etc/UTC' || !offset || offset === zone) return zone || offset;
  return `${zone} (${offset})`;
}

/** "09 Jul 2026, 15:22 (UTC)": a time with its zone, for tooltips and places read out of context. */
export function formatDateTimeZoned(iso: string): string {
  return `${formatDateTime(iso)} (${timeZoneLabel(new Date(iso))})`;
}

/** Calendar dates (YYYY-MM-DD) are dates, not instants: format them in UTC so no timezone shifts them. */
export function formatDate(isoDate: string): string {
  return dateFmt.format(new Date(`${isoDate.slice(0, 10)}T00:00:00Z`));
}

/**
 * A billing period in the date format: "01–31 Mar 2026" within one month, "01 Mar – 15 Apr
 * 2026" within one year, both dates in full otherwise.
 */
export function formatPeriod(start: string, end: string): string {
  const a = new Date(`${start.slice(0, 10)}T00:00:00Z`);
  const b = new Date(`${end.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(a.getTime()) || Number.isNaN(b.getTime())) return `${start} – ${end}`;
  if (start.slice(0, 7) === end.slice(0, 7)) return `${start.slice(8, 10)}–${formatDate(end)}`;
  if (start.slice(0, 4) === end.slice(0, 4)) return `${dayMonthFmt.format(a)} – ${formatDate(end)}`;
  return `${formatDate(start)} – ${formatDate(end)}`;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * A value from a partner file or a form, in the app's format when it is an ISO date or instant
 * ("2026-03-01" -> "01 Mar 2026"); any other text is the partner's own and is shown as it is.
 */
export function formatDateLike(value: string): string {
  if (ISO_DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))) return formatDate(value);
  if (ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value))) return formatDateTime(value);
  return value;
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
