import { randomUUID } from 'node:crypto';
import type { RequestSpec } from './measure.ts';
import type { Remote } from './remote.ts';
import type { LoadTestEvent } from './target.ts';

/*
 * What the generator sends against a running install, all about its own load-test event (target.ts):
 * - checkin: devices scan QR codes of distinct tickets (then repeats, once every ticket is in);
 * - order: late free sales, one ticket each; browse: the event list and the event's page;
 * - mixed: event day — QR scans, typed 6-digit codes, repeated scans, late sales, order-page views and
 *   the scanners' live counts (checkin.stats), in proportions set by --mix;
 * - on-sale: a crowd buying one hot ticket type of limited capacity at once (SOLD_OUT once it is gone).
 */
export const TARGET_SCENARIOS = ['checkin', 'order', 'browse', 'mixed', 'on-sale'] as const;
export type TargetScenarioName = (typeof TARGET_SCENARIOS)[number];

const KINDS = ['qr', 'code', 'repeat', 'sale', 'view', 'dashboard'] as const;
type Kind = (typeof KINDS)[number];
export type Mix = Record<Kind, number>;

/** Event day at a big gate: mostly QR scans, some typed codes and repeats, a trickle of sales and views. */
export const DEFAULT_MIX: Mix = { qr: 70, code: 10, repeat: 8, sale: 5, view: 5, dashboard: 2 };

/** `qr=70,code=10,…` (kinds left out count 0); a clear error for anything else. */
export function parseMix(text: string): Mix {
  const mix: Mix = { qr: 0, code: 0, repeat: 0, sale: 0, view: 0, dashboard: 0 };
  for (const part of text.split(',')) {
    const [kind, value] = part.split('=').map((s) => s.trim()) as [string, string | undefined];
    const n = Number(value);
    if (!(KINDS as readonly string[]).includes(kind) || !Number.isFinite(n) || n < 0) {
      throw new Error(`--mix takes ${KINDS.map((k) => `${k}=N`).join(',')}, got "${part}"`);
    }
    mix[kind as Kind] = n;
  }
  if (Object.values(mix).every((n) => n === 0)) throw new Error('--mix needs at least one share above 0');
  return mix;
}

/** 100 request slots in the mix's proportions, spread evenly (smooth weighted round robin), not in blocks. */
function spread(mix: Mix, slots = 100): Kind[] {
  const total = KINDS.reduce((n, k) => n + mix[k], 0);
  const current = Object.fromEntries(KINDS.map((k) => [k, 0])) as Mix;
  const out: Kind[] = [];
  for (let i = 0; i < slots; i++) {
    for (const k of KINDS) current[k] += mix[k];
    const pick = KINDS.reduce((best, k) => (current[k] > current[best] ? k : best), KINDS[0]);
    current[pick] -= total;
    out.push(pick);
  }
  return out;
}

/** Request builders for one load-test event: each call makes a fresh body (nonces, customers, tickets). */
function builders(event: LoadTestEvent) {
  let fresh = 0;
  let buyer = 0;
  const json = { 'content-type': 'application/json' };
  // Headers are fixed per request slot (autocannon reads them once): slot i scans as device i mod n.
  const gate = (slot: number) => ({ ...json, authorization: `Bearer ${event.deviceTokens[slot % event.deviceTokens.length]}` });
  // First scans in issue order; once every ticket is in, every scan is a repeat, as at a real gate.
  const nextTicket = () => event.tickets[fresh++ % event.tickets.length]!;
  const seenTicket = () => event.tickets[Math.floor(Math.random() * Math.max(1, Math.min(fresh, event.tickets.length)))]!;
  const scan = (pick: () => { qrText: string; code: string }, by: 'qr' | 'code', slot: number): RequestSpec => ({
    method: 'POST',
    path: '/trpc/checkin.scan',
    headers: gate(slot),
    body: () => {
      const t = pick();
      return JSON.stringify({ eventId: event.eventId, ...(by === 'qr' ? { qr: t.qrText } : { code: t.code }), nonce: randomUUID(), scannedAt: new Date().toISOString() });
    },
  });
  const buy = (ticketTypeId: string): RequestSpec => ({
    method: 'POST',
    path: '/trpc/orders.create',
    headers: { ...json, ...event.keyHeader },
    body: () => {
      const n = ++buyer;
      return JSON.stringify({ eventId: event.eventId, customer: { name: `Load buyer ${n}`, email: `buyer-${n}@example.invalid` }, lines: [{ ticketTypeId, quantity: 1 }] });
    },
  });
  const byKind: Record<Kind, (slot: number) => RequestSpec> = {
    qr: (slot) => scan(nextTicket, 'qr', slot),
    code: (slot) => scan(nextTicket, 'code', slot),
    repeat: (slot) => scan(seenTicket, 'qr', slot),
    sale: () => buy(event.types.late),
    view: () => ({
      method: 'POST',
      path: '/trpc/orders.get',
      headers: { ...json, ...event.keyHeader },
      body: () => {
        const o = event.orders[Math.floor(Math.random() * event.orders.length)]!;
        return JSON.stringify({ orderId: o.orderId, token: o.token });
      },
    }),
    dashboard: (slot) => ({
      method: 'POST',
      path: '/trpc/checkin.stats',
      headers: gate(slot),
      body: () => JSON.stringify({ eventId: event.eventId }),
    }),
  };
  return { byKind, buy };
}

export type TargetScenario = { requests: RequestSpec[]; verify(): Promise<Record<string, unknown>> };

export function targetScenario(name: TargetScenarioName, event: LoadTestEvent, admin: Remote, mix: Mix = DEFAULT_MIX): TargetScenario {
  const { byKind, buy } = builders(event);
  const none = async () => ({});
  const slots = (kinds: Kind[]) => kinds.map((k, slot) => byKind[k](slot));
  if (name === 'checkin') return { requests: slots(event.deviceTokens.map(() => 'qr')), verify: none };
  if (name === 'order') return { requests: slots(['sale']), verify: none };
  if (name === 'mixed') return { requests: slots(spread(mix)), verify: none };
  if (name === 'browse') {
    const input = encodeURIComponent(JSON.stringify({ eventId: event.eventId }));
    return { requests: [{ method: 'GET', path: '/trpc/catalog.listEvents' }, { method: 'GET', path: `/trpc/catalog.getEvent?input=${input}` }], verify: none };
  }
  return {
    requests: [buy(event.types.hot)],
    // The hot type sold out and no further: what the server says it sold never exceeds its capacity.
    async verify() {
      const view = await admin.call<{ ticketTypes: { id: string; taken: number; capacity: number | null }[] }>('admin.getEvent', { eventId: event.eventId });
      const hot = view.ticketTypes.find((t) => t.id === event.types.hot)!;
      return { hotCapacity: hot.capacity, hotTaken: hot.taken, oversold: hot.taken > (hot.capacity ?? Infinity) };
    },
  };
}
