import { parentPort } from 'node:worker_threads';
import { applePass } from './apple.ts';
import type { AppleWalletConfig } from './credentials.ts';
import type { PassFile, PassOrder } from './dto.ts';
import { ticketsPdf } from './pdf.ts';

/** What the rendering thread makes: CPU-heavy files (PDF layout and fonts, RSA signing in JS). */
export type RenderJob = { kind: 'pdf'; order: PassOrder } | { kind: 'pkpass'; apple: AppleWalletConfig; order: PassOrder; ticketId: string };

export type RenderRequest = { id: number; job: RenderJob };
export type RenderReply = { id: number; file?: PassFile; error?: string };

async function render(job: RenderJob): Promise<PassFile> {
  if (job.kind === 'pdf') return ticketsPdf(job.order);
  const ticket = job.order.tickets.find((t) => t.id === job.ticketId);
  if (!ticket) throw new Error('no such ticket in the order');
  return applePass(job.apple, job.order, ticket);
}

// The thread's side: one job at a time, in the order they arrive (renderer.ts is the caller's side).
parentPort?.on('message', ({ id, job }: RenderRequest) => {
  render(job).then(
    (file) => parentPort!.postMessage({ id, file } satisfies RenderReply),
    (err: unknown) => parentPort!.postMessage({ id, error: err instanceof Error ? err.message : String(err) } satisfies RenderReply),
  );
});
