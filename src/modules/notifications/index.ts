export type { OutboxMessage } from './dto.ts';
export { enqueue } from './service.ts';
export { countPending as countPendingOutbox } from './repo.ts';
