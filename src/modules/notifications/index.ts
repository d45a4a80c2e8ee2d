export type { OutboxMessage } from './dto.ts';
export { enqueue } from './service.ts';
