import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * Small local HTTP stand-ins for SES v2 and Twilio, reached by the real SDKs. Each records what it
 * accepted (with the arrival time) and can be told to fail, throttle or hang for one recipient.
 */

export type Failure = { status: number; type?: string } | 'hang';
export type Received<T> = T & { at: number; to: string };

type Reply = { status: number; headers?: Record<string, string>; body: unknown };

function startServer(handle: (req: http.IncomingMessage, body: Buffer) => Reply | 'hang') {
  const hung = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = handle(req, Buffer.concat(chunks));
      if (reply === 'hang') {
        hung.add(res);
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.body));
    });
  });
  return new Promise<{ url: string; close(): Promise<void> }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            for (const res of hung) res.destroy();
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/** Failures to answer, in order, per recipient; once used up the stand-in accepts. */
function failurePlan() {
  const plans = new Map<string, Failure[]>();
  return {
    failFor(to: string, failures: Failure[]) {
      plans.set(to, [...failures]);
    },
    next: (to: string) => plans.get(to)?.shift(),
  };
}

export type SesRequest = { raw: Buffer; from: string };

export async function startSesStandIn() {
  const accepted: Received<SesRequest>[] = [];
  const attempts: { at: number; to: string }[] = [];
  const plan = failurePlan();
  const server = await startServer((req, body) => {
    if (req.method !== 'POST' || req.url !== '/v2/email/outbound-emails') return { status: 404, body: { message: 'unknown route' } };
    const input = JSON.parse(body.toString()) as { FromEmailAddress: string; Destination: { ToAddresses: string[] }; Content: { Raw: { Data: string } } };
    const to = input.Destination.ToAddresses[0]!;
    attempts.push({ at: Date.now(), to });
    const failure = plan.next(to);
    if (failure === 'hang') return 'hang';
    if (failure) return { status: failure.status, headers: { 'x-amzn-errortype': failure.type ?? 'InternalFailure' }, body: { message: `stand-in ${failure.status}` } };
    accepted.push({ at: Date.now(), to, from: input.FromEmailAddress, raw: Buffer.from(input.Content.Raw.Data, 'base64') });
    return { status: 200, body: { MessageId: `ses-${randomBytes(8).toString('hex')}` } };
  });
  return { ...server, accepted, attempts, failFor: plan.failFor, credentials: { accessKeyId: 'AKIDSTANDIN', secretAccessKey: 'stand-in-secret' } };
}

export type TwilioRequest = { body: string; from: string; sid: string };

export async function startTwilioStandIn() {
  const accepted: Received<TwilioRequest>[] = [];
  const attempts: { at: number; to: string }[] = [];
  const plan = failurePlan();
  const server = await startServer((req, raw) => {
    const m = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !m) return { status: 404, body: { code: 20404, message: 'unknown route', status: 404 } };
    const form = new URLSearchParams(raw.toString());
    const to = form.get('To') ?? '';
    attempts.push({ at: Date.now(), to });
    const failure = plan.next(to);
    if (failure === 'hang') return 'hang';
    if (failure) return { status: failure.status, body: { code: failure.status === 429 ? 20429 : failure.status === 400 ? 21211 : 20500, message: `stand-in ${failure.status}`, status: failure.status } };
    const sid = `SM${randomBytes(16).toString('hex')}`;
    accepted.push({ at: Date.now(), to, from: form.get('From') ?? '', body: form.get('Body') ?? '', sid });
    return { status: 201, body: { sid, account_sid: m[1], to, from: form.get('From'), body: form.get('Body'), status: 'queued', num_segments: '1' } };
  });
  return { ...server, accepted, attempts, failFor: plan.failFor, accountSid: `AC${'0'.repeat(32)}`, authToken: 'stand-in-token', from: '+15005550006' };
}
