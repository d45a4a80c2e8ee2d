import { newId } from '../../shared/ids.ts';
import type { Tx } from '../../shared/tx.ts';
import type { OutboxMessage } from './dto.ts';
import * as repo from './repo.ts';

/** Records a message inside the caller's transaction; it is delivered only if that transaction commits. */
export async function enqueue(tx: Tx, message: OutboxMessage, now: Date): Promise<string> {
  const id = newId();
  await repo.insertOutboxMessage(tx, { id, type: message.type, payload: message.payload, createdAt: now, availableAt: now });
  return id;
}
