export const name = 'audit_by_entity';

/**
 * A lead reads one exception's history (skips, reassigns, releases and their reasons) from the
 * audit log; without this every drawer opened would scan the whole, ever-growing log.
 */
export const sql = `
CREATE INDEX audit_log_by_entity ON audit_log (entity, entity_id, id);
`;
