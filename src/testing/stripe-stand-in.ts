import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import qs from 'qs';

/*
 * A small local stand-in for the Stripe API, for tests that drive the real `stripe` SDK. It keeps
 * sessions, payment intents, charges and refunds in memory, honours idempotency keys the way Stripe
 * does (same key → the stored response, marked `Idempotent-Replayed: true`; same key with other
 * parameters → 400 idempotency_error), records every request with its arrival time, and can be
 * switched to answer 500, to drop responses (the request is carried out, the answer never arrives) or
 * stopped (connection refused) to play an outage.
 */

type Obj = Record<string, unknown> & { id: string };
/** A form-encoded body as `qs` parses it: a loose tree that tests index into freely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FormBody = Record<string, any>;
export type RecordedRequest = { method: string; path: string; body: FormBody; idempotencyKey?: string; at: number };

let seq = 0;
const newId = (prefix: string) => `${prefix}_Test${Date.now().toString(36)}${(++seq).toString(36)}X`;

export class StripeStandIn {
  readonly requests: RecordedRequest[] = [];
  readonly sessions = new Map<string, Obj>();
  readonly intents = new Map<string, Obj>();
  readonly charges = new Map<string, Obj>();
  readonly disputes = new Map<string, Obj>();
  /** Every refund made, in order (amount in Stripe's units). */
  readonly refunds: Obj[] = [];
  private readonly idempotent = new Map<string, { status: number; body: unknown; request: string }>();
  private dropping: string | null = null;
  private server: Server | null = null;
  private failing: { status: number; only?: string; stored?: boolean } | null = null;
  port = 0;

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(port = this.port) {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Stops listening: requests now fail with ECONNREFUSED until start() again (same port). */
  async stop() {
    const server = this.server;
    this.server = null;
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  /**
   * Requests answer `status` (e.g. 500) until called with null; `only` limits it to e.g. 'POST /v1/refunds'.
   * `stored`: the failure is kept under the request's idempotency key, as Stripe does for a request that
   * started executing, so a retry with that key gets it again.
   */
  failWith(status: number | null, only?: string, opts: { stored?: boolean } = {}) {
    this.failing = status ? { status, only, stored: opts.stored } : null;
  }

  /** Requests to e.g. 'POST /v1/checkout/sessions' are carried out but their connection is cut before the answer, until called with null. */
  dropResponses(only: string | null) {
    this.dropping = only;
  }

  requestsTo(method: string, pathPrefix: string) {
    return this.requests.filter((r) => r.method === method && r.path.startsWith(pathPrefix));
  }

  // --- what customers and the dashboard do on Stripe's side -------------------------------------

  /** The customer pays. `async`: a bank debit, still processing until settleAsync(). */
  completeSession(sessionId: string, opts: { async?: boolean } = {}) {
    const session = this.must(this.sessions, sessionId);
    const intent: Obj = {
      id: newId('pi'),
      object: 'payment_intent',
      amount: session.amount_total,
      currency: session.currency,
      status: opts.async ? 'processing' : 'succeeded',
      metadata: (session.payment_intent_data as { metadata?: unknown } | undefined)?.metadata ?? {},
      latest_charge: null,
    };
    this.intents.set(intent.id, intent);
    if (!opts.async) this.charge(intent);
    Object.assign(session, { status: 'complete', payment_status: opts.async ? 'unpaid' : 'paid', payment_intent: intent.id });
    return { session, intent };
  }

  settleAsync(sessionId: string, outcome: 'succeeded' | 'failed') {
    const session = this.must(this.sessions, sessionId);
    const intent = this.must(this.intents, String(session.payment_intent));
    if (outcome === 'succeeded') {
      intent.status = 'succeeded';
      this.charge(intent);
      session.payment_status = 'paid';
    } else intent.status = 'requires_payment_method';
  }

  expireSession(sessionId: string) {
    this.must(this.sessions, sessionId).status = 'expired';
  }

  chargeOf(sessionId: string): Obj {
    const intent = this.must(this.intents, String(this.must(this.sessions, sessionId).payment_intent));
    return this.must(this.charges, String(intent.latest_charge));
  }

  refundFromDashboard(chargeId: string) {
    const charge = this.must(this.charges, chargeId);
    Object.assign(charge, { refunded: true, amount_refunded: charge.amount });
    return charge;
  }

  dispute(chargeId: string) {
    this.must(this.charges, chargeId).disputed = true;
    const dispute: Obj = { id: newId('dp'), object: 'dispute', charge: chargeId, status: 'needs_response', reason: 'fraudulent', created: ++seq };
    this.disputes.set(dispute.id, dispute);
    return dispute;
  }

  /** The bank decides. As at Stripe, the charge stays `disputed: true` either way; only the dispute says who won. */
  closeDispute(disputeId: string, status: 'won' | 'lost') {
    return Object.assign(this.must(this.disputes, disputeId), { status });
  }

  /** An event as Stripe would send it (the payload's copy of the object may be stale; that is the point). */
  event(type: string, object: Obj) {
    return {
      id: newId('evt'),
      object: 'event',
      api_version: '2025-01-01',
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
      data: { object: structuredClone(object) },
    };
  }

  // --- the API ------------------------------------------------------------------------------------

  private charge(intent: Obj) {
    const charge: Obj = {
      id: newId('ch'),
      object: 'charge',
      amount: intent.amount,
      amount_refunded: 0,
      currency: intent.currency,
      payment_intent: intent.id,
      refunded: false,
      disputed: false,
    };
    this.charges.set(charge.id, charge);
    intent.latest_charge = charge.id;
  }

  private must(map: Map<string, Obj>, id: string): Obj {
    const found = map.get(id);
    if (!found) throw new Error(`stand-in has no ${id}`);
    return found;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const at = Date.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const [path, query = ''] = (req.url ?? '/').split('?');
    const body = qs.parse(req.method === 'GET' ? query : Buffer.concat(chunks).toString('utf8')) as FormBody;
    const idempotencyKey = req.headers['idempotency-key'] as string | undefined;
    this.requests.push({ method: req.method!, path: path!, body, idempotencyKey, at });
    const drop = this.dropping !== null && `${req.method} ${path}`.startsWith(this.dropping);
    const send = (status: number, payload: unknown, extra: Record<string, string> = {}) => {
      if (drop) return void res.destroy();
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': newId('req'), ...extra });
      res.end(JSON.stringify(payload));
    };
    const request = `${req.method} ${path} ${JSON.stringify(body)}`;
    if (this.failing && (!this.failing.only || `${req.method} ${path}`.startsWith(this.failing.only))) {
      const failure = { error: { type: 'api_error', message: 'stand-in is down' } };
      if (this.failing.stored && idempotencyKey && !this.idempotent.has(idempotencyKey)) {
        this.idempotent.set(idempotencyKey, { status: this.failing.status, body: failure, request });
      }
      return send(this.failing.status, failure);
    }
    const stored = idempotencyKey ? this.idempotent.get(idempotencyKey) : undefined;
    if (stored && stored.request !== request) {
      const message = 'Keys for idempotent requests can only be used with the same parameters they were first used with.';
      return send(400, { error: { type: 'idempotency_error', message } });
    }
    if (stored) return send(stored.status, stored.body, { 'idempotent-replayed': 'true' });
    const [status, payload] = this.route(req.method!, path!, body);
    if (idempotencyKey && req.method === 'POST') this.idempotent.set(idempotencyKey, { status, body: payload, request });
    send(status, payload);
  }

  private route(method: string, path: string, body: FormBody): [number, unknown] {
    const missing = (id: string): [number, unknown] => [404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such object: '${id}'` } }];
    const expand: string[] = body.expand ?? [];
    let m: RegExpExecArray | null;
    if (method === 'POST' && path === '/v1/checkout/sessions') return [200, this.createSession(body)];
    if (method === 'GET' && path === '/v1/checkout/sessions') {
      const data = [...this.sessions.values()].filter((s) => !body.payment_intent || s.payment_intent === body.payment_intent);
      return [200, { object: 'list', url: '/v1/checkout/sessions', has_more: false, data }];
    }
    if (method === 'GET' && (m = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path))) {
      const session = this.sessions.get(m[1]!);
      if (!session) return missing(m[1]!);
      const intent = session.payment_intent ? this.intents.get(String(session.payment_intent)) : undefined;
      const withCharge = expand.includes('payment_intent.latest_charge');
      return [200, { ...session, payment_intent: intent && (withCharge || expand.includes('payment_intent')) ? this.expandIntent(intent, withCharge) : session.payment_intent }];
    }
    if (method === 'GET' && (m = /^\/v1\/payment_intents\/([^/]+)$/.exec(path))) {
      const intent = this.intents.get(m[1]!);
      return intent ? [200, this.expandIntent(intent, expand.includes('latest_charge'))] : missing(m[1]!);
    }
    if (method === 'GET' && (m = /^\/v1\/charges\/([^/]+)$/.exec(path))) {
      const charge = this.charges.get(m[1]!);
      return charge ? [200, charge] : missing(m[1]!);
    }
    if (method === 'GET' && path === '/v1/disputes') {
      const data = [...this.disputes.values()].filter((d) => !body.charge || d.charge === body.charge).sort((a, b) => Number(b.created) - Number(a.created));
      return [200, { object: 'list', url: '/v1/disputes', has_more: false, data }];
    }
    if (method === 'POST' && path === '/v1/refunds') return this.refund(body);
    return [404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path})` } }];
  }

  private expandIntent(intent: Obj, withCharge: boolean) {
    return withCharge && intent.latest_charge ? { ...intent, latest_charge: this.charges.get(String(intent.latest_charge)) } : intent;
  }

  private createSession(body: FormBody): Obj {
    const lines = (body.line_items ?? []) as { quantity: string; price_data: { currency: string; unit_amount: string } }[];
    const id = newId('cs_test');
    const session: Obj = {
      id,
      object: 'checkout.session',
      status: 'open',
      payment_status: 'unpaid',
      url: `${this.url}/pay/${id}`,
      amount_total: lines.reduce((sum, l) => sum + Number(l.price_data.unit_amount) * Number(l.quantity), 0),
      currency: lines[0]?.price_data.currency ?? 'eur',
      metadata: body.metadata ?? {},
      payment_intent_data: body.payment_intent_data,
      payment_intent: null,
      customer_email: body.customer_email,
      expires_at: Number(body.expires_at),
      success_url: body.success_url,
      cancel_url: body.cancel_url,
    };
    this.sessions.set(id, session);
    return session;
  }

  private refund(body: FormBody): [number, unknown] {
    const intent = this.intents.get(String(body.payment_intent));
    const charge = intent?.latest_charge ? this.charges.get(String(intent.latest_charge)) : undefined;
    if (!intent || !charge) return [404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: 'No such payment_intent' } }];
    if (charge.refunded) {
      return [400, { error: { type: 'invalid_request_error', code: 'charge_already_refunded', message: 'Charge has already been refunded.' } }];
    }
    // Like Stripe: `amount` refunds part of what is left (never more), none refunds all of it.
    const left = Number(charge.amount) - Number(charge.amount_refunded ?? 0);
    const amount = body.amount === undefined ? left : Number(body.amount);
    if (!Number.isInteger(amount) || amount <= 0 || amount > left) {
      return [400, { error: { type: 'invalid_request_error', code: 'amount_too_large', message: `Refund amount (${String(body.amount)}) is greater than unrefunded amount on charge (${left})` } }];
    }
    const refunded = Number(charge.amount_refunded ?? 0) + amount;
    Object.assign(charge, { refunded: refunded === Number(charge.amount), amount_refunded: refunded });
    const refund = { id: newId('re'), object: 'refund', amount, charge: charge.id, payment_intent: intent.id, status: 'succeeded', metadata: body.metadata ?? {} };
    this.refunds.push(refund);
    return [200, refund];
  }
}
