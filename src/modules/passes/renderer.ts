import { Worker } from 'node:worker_threads';
import { AppError } from '../../shared/errors.ts';
import type { PassFile } from './dto.ts';
import type { RenderJob, RenderReply } from './render-thread.ts';

/*
 * Renders PDFs and Apple passes on a thread of their own, so a 100-ticket PDF (seconds of layout and font
 * work on a busy box) or RSA signing in JavaScript never holds up the event loop that answers check-in
 * scans. One thread per process, started on first use and keeping the process alive only while it has
 * work; jobs queue on it one at a time. A thread that dies fails its jobs (the caller may retry) and the next job starts a new one.
 */

const MAX_QUEUED = 50;

type Pending = { resolve(file: PassFile): void; reject(err: Error): void };
let thread: { worker: Worker; pending: Map<number, Pending> } | undefined;
let seq = 0;

function start() {
  // A plain .mjs entry that loads the TypeScript body through tsx (a thread does not inherit the loader).
  const worker = new Worker(new URL('./render-thread.mjs', import.meta.url));
  const pending = new Map<number, Pending>();
  const current = { worker, pending };
  worker.on('message', ({ id, file, error }: RenderReply) => {
    const job = pending.get(id);
    pending.delete(id);
    if (pending.size === 0) worker.unref();
    if (!job) return;
    if (file) job.resolve({ ...file, content: Buffer.from(file.content.buffer, file.content.byteOffset, file.content.byteLength) });
    else job.reject(new Error(`rendering failed: ${error}`));
  });
  const fail = (err: Error) => {
    if (thread === current) thread = undefined;
    for (const job of pending.values()) job.reject(err);
    pending.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the rendering thread exited (${code})`)));
  // Idle, the thread does not keep the process alive (after the listeners: adding one refs the worker).
  worker.unref();
  return current;
}

export function renderOffThread(job: RenderJob): Promise<PassFile> {
  thread ??= start();
  const { worker, pending } = thread;
  if (pending.size >= MAX_QUEUED) {
    return Promise.reject(new AppError('BUSY', 'Many tickets are being prepared right now; please try again in a minute.', { retryAfterSeconds: 30 }));
  }
  const id = ++seq;
  return new Promise<PassFile>((resolve, reject) => {
    // Busy, it does: a script awaiting a PDF must not exit with the job unfinished.
    if (pending.size === 0) worker.ref();
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, job });
  });
}
