/**
 * Calls per tRPC batch request. The server refuses larger batches (each call is still counted by the
 * limits), and our client never sends one: its batch link uses the same number.
 */
export const MAX_BATCH_SIZE = 10;
