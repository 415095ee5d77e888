/**
 * What the automation rate counts (DOMAIN.md: items matched with no human touch / all items,
 * counting lines, per source): every staged line the run's rules compared, once, matched when
 * every comparison naming it was within tolerance. Lines are grouped by their business day
 * (view close_staged_days), source and channel; the KPI reads each period's latest run.
 * $1 run id, $2 period, $3 the period's first day (for a line with no day of its own).
 */
export const RECORD_LINE_OUTCOMES = `
INSERT INTO recon_line_outcomes (run_id, period, day, source, channel, lines, matched)
SELECT $1::bigint, $2::text, coalesce(s.day, $3::date), f.source, f.channel, count(*)::int,
       (count(*) FILTER (WHERE l.matched))::int
FROM (SELECT r.ref, bool_and(c.within) AS matched
      FROM recon_candidates c CROSS JOIN LATERAL unnest(c.refs) AS r(ref)
      GROUP BY r.ref) l
CROSS JOIN LATERAL (SELECT split_part(l.ref, ':', 2)::bigint AS b, split_part(l.ref, ':', 3)::integer AS n) p
JOIN close_staged_days s ON s.batch_id = p.b AND s.row_number = p.n
JOIN recon_formats f ON f.format = s.format
GROUP BY 3, 4, 5`;
