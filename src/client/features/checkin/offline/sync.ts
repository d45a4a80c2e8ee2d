import { errorMessage, isBadRequest, isRevoked, isTransient, scannerClient } from '../api.ts';
import * as store from './store.ts';
import type { QueuedScan, SyncMeta } from './store.ts';

/** How often an online device uploads its queue and asks for changes. */
export const SYNC_INTERVAL_MS = 4000;
/** Scans per upload: well under the server's 500, so one slow call never holds a long queue hostage. */
const UPLOAD_BATCH = 200;

type SyncAnswers = Awaited<ReturnType<typeof scannerClient.checkin.sync.mutate>>;

export type GateStatus = {
  /** A complete snapshot is stored: offline scanning works. */
  ready: boolean;
  online: boolean;
  syncedAt: string | null;
  offlineSince: string | null;
  queued: number;
  tickets: number;
  /** Uploaded scans the server refused as malformed (kept out of the queue so it cannot jam). */
  dropped: number;
  conflicts: SyncMeta['conflicts'];
  /** Why the last round failed although the server answered (it is tried again). */
  problem: string | null;
};

const initial: GateStatus = { ready: false, online: navigator.onLine, syncedAt: null, offlineSince: null, queued: 0, tickets: 0, dropped: 0, conflicts: [], problem: null };

/**
 * Keeps one event's snapshot fresh and its offline scans flowing to the server: every few seconds
 * (and at once when the browser comes back online) it uploads the queue — in order, in batches, each
 * batch removed only once the server answered it, so a lost answer means the same nonces again, which
 * the server answers without counting twice — and then fetches what changed since its cursor.
 */
export class GateSync {
  status: GateStatus = initial;
  private listeners = new Set<(s: GateStatus) => void>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<void> | null = null;
  private readonly wake = () => void this.tick();
  private revoked = false;
  private stopped = false;

  constructor(
    readonly eventId: string,
    private readonly onRevoked: () => void,
  ) {}

  subscribe(fn: (s: GateStatus) => void) {
    this.listeners.add(fn);
    fn(this.status);
    return () => void this.listeners.delete(fn);
  }

  private set(patch: Partial<GateStatus>) {
    this.status = { ...this.status, ...patch };
    for (const fn of this.listeners) fn(this.status);
  }

  async start() {
    const meta = await store.readMeta();
    if (meta?.eventId === this.eventId) {
      this.set({ ready: meta.cursor !== null, syncedAt: meta.syncedAt, conflicts: meta.conflicts, tickets: await store.ticketCount() });
    }
    await this.refreshQueued();
    // Stopped while reading (the page moved on, or React mounted twice): no timer may outlive it.
    if (this.stopped) return;
    this.timer = setInterval(this.wake, SYNC_INTERVAL_MS);
    window.addEventListener('online', this.wake);
    void this.tick();
  }

  stop() {
    this.stopped = true;
    clearInterval(this.timer);
    window.removeEventListener('online', this.wake);
  }

  /** One round: upload, then pull. Concurrent calls share the round in flight. */
  tick(): Promise<void> {
    this.running ??= this.round().finally(() => (this.running = null));
    return this.running;
  }

  async refreshQueued() {
    if (this.revoked) return;
    this.set({ queued: await store.queuedCount() });
  }

  /** Staff have read the conflict list. */
  async dismissConflicts() {
    await store.writeMeta({ conflicts: [] }).catch(() => {});
    this.set({ conflicts: [] });
  }

  /** Called after an offline scan was stored, or a live one changed a ticket. */
  noteLocalChange() {
    void this.refreshQueued();
  }

  private async round() {
    if (this.revoked || this.stopped) return;
    if (!navigator.onLine) return this.wentOffline();
    try {
      await this.upload();
      await this.pull();
      this.set({ online: true, offlineSince: null, syncedAt: new Date().toISOString(), problem: null });
    } catch (err) {
      if (isRevoked(err)) {
        // From here on nothing touches IndexedDB again (it would create the database anew).
        this.revoked = true;
        this.stop();
        await store.wipe();
        this.set({ ...initial, online: true });
        this.onRevoked();
      } else if (isTransient(err)) {
        this.wentOffline();
      } else {
        // Refused for now (rate limited, a server error): the next round tries again; nothing is lost.
        this.set({ problem: errorMessage(err) });
      }
    } finally {
      if (!this.revoked) await this.refreshQueued();
    }
  }

  private wentOffline() {
    this.set({ online: false, offlineSince: this.status.offlineSince ?? new Date().toISOString() });
  }

  private async upload() {
    for (;;) {
      // Only this event's scans: this device's token may upload nothing else (a re-enrolled phone's old
      // scans stay queued rather than jam the upload).
      const batch = (await store.queuedScans()).filter((s) => s.eventId === this.eventId).slice(0, UPLOAD_BATCH);
      if (batch.length === 0) return;
      const answers = await this.send(batch);
      const conflicts = answers.flatMap((a) => {
        const scan = batch.find((s) => s.nonce === a.nonce);
        return a.conflict && scan ? [{ ticketId: scan.ticketId ?? null, label: scan.label ?? scan.code ?? 'ticket', ...a.conflict }] : [];
      });
      if (conflicts.length > 0) {
        const meta = await store.readMeta();
        if (meta) await store.writeMeta({ conflicts: [...conflicts, ...meta.conflicts].slice(0, 50) });
        this.set({ conflicts: [...conflicts, ...this.status.conflicts].slice(0, 50) });
      }
      await store.dropQueued(batch.map((s) => s.seq!));
    }
  }

  /** Uploads a batch; a batch the server refuses as malformed is retried scan by scan, dropping only the bad ones. */
  private async send(batch: QueuedScan[]): Promise<SyncAnswers> {
    const wire = (s: QueuedScan) => ({ nonce: s.nonce, qr: s.qr, code: s.code, scannedAt: s.scannedAt, direction: s.direction, admitted: s.admitted });
    try {
      return await scannerClient.checkin.sync.mutate({ eventId: batch[0]!.eventId, scans: batch.map(wire) });
    } catch (err) {
      if (!isBadRequest(err)) throw err;
      if (batch.length === 1) {
        this.set({ dropped: this.status.dropped + 1 });
        return [];
      }
      const answers: SyncAnswers = [];
      for (const s of batch) answers.push(...(await this.send([s])));
      return answers;
    }
  }

  private async pull() {
    let meta = await store.readMeta();
    if (!meta || meta.eventId !== this.eventId) {
      await store.resetFor(this.eventId, { allowReentry: false, admitUnknownOffline: false });
      meta = (await store.readMeta())!;
    }
    const full = meta.cursor === null;
    // A full download resumes where an interrupted one stopped, with the cursor of its first page.
    let after = full ? meta.resumeAfter : null;
    let firstCursor = full ? meta.pendingCursor : null;
    for (;;) {
      const page = await scannerClient.checkin.snapshot.query({ eventId: this.eventId, cursor: meta.cursor ?? undefined, after: after ?? undefined });
      firstCursor ??= page.cursor;
      // A ticket with a scan still waiting for upload keeps this device's state: the server's copy
      // cannot know that scan yet (it was judged offline while this page was in flight).
      const pending = new Set((await store.queuedScans()).map((s) => s.ticketId));
      await store.putTickets(page.tickets.filter((t) => !pending.has(t.id)));
      after = page.tickets.at(-1)?.id ?? after;
      await store.writeMeta({ keys: page.keys, settings: page.settings, ...(full ? { resumeAfter: after, pendingCursor: firstCursor } : {}) });
      if (!page.more) break;
    }
    await store.writeMeta({ cursor: firstCursor, resumeAfter: null, pendingCursor: null, syncedAt: new Date().toISOString() });
    this.set({ ready: true, tickets: await store.ticketCount() });
  }
}
