import type { Rate } from '@shared/kpis/report';
import { formatCount } from '../../lib/format';

/** "97.50%" as the server computed it (never re-rounded here), or a dash when nothing counted. */
export function formatRate(rate: Rate): string {
  return rate.percent === null ? '–' : `${rate.percent}%`;
}

/** "39 of 40" under a rate, so a lead sees how much it rests on. */
export function rateBasis(rate: Rate): string {
  return `${formatCount(rate.numerator)} of ${formatCount(rate.denominator)}`;
}

/** "4m 05s", "2h 10m", "3d 4h": a median or p90 duration, or a dash. */
export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}

/** A rate as a number for a chart's bar (display only: the text figure stays the server's). */
export function rateValue(rate: Rate): number {
  return rate.percent === null ? 0 : Number(rate.percent);
}
