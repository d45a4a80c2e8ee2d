export type { AuditRecord } from './dto.ts';
export { record as recordAudit } from './service.ts';
