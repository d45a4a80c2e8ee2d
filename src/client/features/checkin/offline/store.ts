import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { scannerClient } from '../api.ts';

/*
 * The offline gate's IndexedDB: the event snapshot (tickets by id and by code), the scans waiting for
 * upload (in order), and what the device knows about its sync. One database per browser profile; an
 * enrolled phone scans for one event, so a snapshot of another event is replaced, never mixed in.
 */
export type Snapshot = Awaited<ReturnType<typeof scannerClient.checkin.snapshot.query>>;
export type SnapshotTicket = Snapshot['tickets'][number];
export type GateSettings = Snapshot['settings'];

/** A scan judged offline, waiting for the server's verdict (uploaded in `seq` order). */
export type QueuedScan = {
  seq?: number;
  eventId: string;
  /** For the conflict list on this device: which ticket, as staff know it. */
  ticketId?: string;
  label?: string;
  nonce: string;
  qr?: string;
  code?: string;
  scannedAt: string;
  direction: 'in' | 'out';
  admitted: boolean;
};

export type SyncMeta = {
  eventId: string;
  /** The cursor of the last complete snapshot or delta; null until the first full download completed. */
  cursor: string | null;
  /** A full download interrupted between pages resumes after this ticket id. */
  resumeAfter: string | null;
  /** Cursor of the interrupted full download's first page (kept until it completes). */
  pendingCursor: string | null;
  syncedAt: string | null;
  keys: Snapshot['keys'];
  settings: GateSettings;
  /** Uploaded admissions the server had already seen elsewhere (shown to staff until dismissed). */
  conflicts: { ticketId: string | null; label: string; at: string; device: string | null }[];
};

interface GateDb extends DBSchema {
  meta: { key: 'sync'; value: SyncMeta };
  tickets: { key: string; value: SnapshotTicket; indexes: { code: string } };
  queue: { key: number; value: QueuedScan };
}

const DB_NAME = 'gatekeeper-gate';
let opened: Promise<IDBPDatabase<GateDb>> | null = null;

export function gateDb() {
  opened ??= openDB<GateDb>(DB_NAME, 1, {
    upgrade(db) {
      db.createObjectStore('meta');
      db.createObjectStore('tickets', { keyPath: 'id' }).createIndex('code', 'code');
      db.createObjectStore('queue', { keyPath: 'seq', autoIncrement: true });
    },
    // Another tab wipes the data (revoked device): let go so the deletion goes through.
    blocking() {
      void opened?.then((db) => db.close());
      opened = null;
    },
  });
  return opened;
}

export const readMeta = async () => (await gateDb()).get('meta', 'sync');

export async function writeMeta(patch: Partial<SyncMeta>) {
  const db = await gateDb();
  const tx = db.transaction('meta', 'readwrite');
  const current = await tx.store.get('sync');
  if (!current && !patch.eventId) throw new Error('no snapshot yet');
  await tx.store.put({ ...(current as SyncMeta), ...patch }, 'sync');
  await tx.done;
}

/** Starts over for `eventId`: drops another event's tickets (never its unsent scans, see sync.ts). */
export async function resetFor(eventId: string, settings: GateSettings) {
  const db = await gateDb();
  const tx = db.transaction(['meta', 'tickets'], 'readwrite');
  await tx.objectStore('tickets').clear();
  const meta: SyncMeta = { eventId, cursor: null, resumeAfter: null, pendingCursor: null, syncedAt: null, keys: [], settings, conflicts: [] };
  await tx.objectStore('meta').put(meta, 'sync');
  await tx.done;
}

export async function putTickets(tickets: SnapshotTicket[]) {
  const db = await gateDb();
  const tx = db.transaction('tickets', 'readwrite');
  await Promise.all([...tickets.map((t) => tx.store.put(t)), tx.done]);
}

export const ticketById = async (id: string) => (await gateDb()).get('tickets', id);
export const ticketByCode = async (code: string) => (await gateDb()).getFromIndex('tickets', 'code', code);
export const ticketCount = async () => (await gateDb()).count('tickets');

/**
 * Records an offline scan and the ticket state it leads to in one IndexedDB transaction, and resolves
 * only once that transaction is durable: the screen turns green after this, so closing the tab right
 * then loses nothing that was shown green.
 */
export async function recordOfflineScan(scan: QueuedScan, ticket: SnapshotTicket | null) {
  const db = await gateDb();
  const tx = db.transaction(['queue', 'tickets'], 'readwrite', { durability: 'strict' });
  await tx.objectStore('queue').add(scan);
  if (ticket) await tx.objectStore('tickets').put(ticket);
  await tx.done;
}

export async function queuedScans(limit?: number) {
  return (await gateDb()).getAll('queue', null, limit);
}
export const queuedCount = async () => (await gateDb()).count('queue');

export async function dropQueued(seqs: number[]) {
  const db = await gateDb();
  const tx = db.transaction('queue', 'readwrite');
  await Promise.all([...seqs.map((s) => tx.store.delete(s)), tx.done]);
}

/** A revoked device must not keep attendees' names: everything goes, unsent scans included. */
export async function wipe() {
  const db = await gateDb();
  db.close();
  opened = null;
  await new Promise<void>((resolve, reject) => {
    const req = indexedDB.deleteDatabase(DB_NAME);
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error);
    req.onblocked = () => resolve();
  });
}
