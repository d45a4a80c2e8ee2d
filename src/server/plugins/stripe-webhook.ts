import type { FastifyInstance } from 'fastify';
import Stripe from 'stripe';
import { applyPaymentEvent } from '../../modules/orders/index.ts';
import { isTransientStripeError, type StripeProvider } from '../../modules/payments/stripe/index.ts';
import type { AppDeps } from '../context.ts';
import { isTransientSqlState, sqlStateOf } from '../../shared/sqlstate.ts';

/** The database was busy (deadlock, lock or statement timeout, too many connections) or away: Stripe retries. */
const isTransientDbError = (err: unknown) => isTransientSqlState(sqlStateOf(err));

/** The object an event names no longer exists (or never did) at Stripe: retrying cannot help. */
const isPermanentStripeError = (err: unknown) => err instanceof Stripe.errors.StripeInvalidRequestError && err.statusCode === 404;

/**
 * POST /webhooks/stripe. In its own encapsulated plugin so that only this route reads the body raw
 * (the signature covers the exact bytes); the rest of the app keeps Fastify's JSON parsing.
 * Answers: 400 bad signature or stale timestamp (nothing changes); 2xx handled, duplicate, or
 * permanently unusable (logged); 503 transient trouble (database busy, Stripe down) so Stripe retries;
 * 500 anything unexpected, which Stripe also retries for days while someone reads the log.
 */
export async function registerStripeWebhook(
  app: FastifyInstance,
  opts: { deps: AppDeps; stripe: StripeProvider; lockTimeoutMs?: number },
) {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

    scope.post('/webhooks/stripe', { bodyLimit: 1024 * 1024 }, async (req, reply) => {
      let event: Stripe.Event;
      try {
        event = opts.stripe.verifyEvent(req.body as Buffer, req.headers['stripe-signature']);
      } catch (err) {
        req.log.warn({ err: (err as Error).message }, 'stripe webhook rejected: signature');
        return reply.code(400).send({ error: 'Invalid Stripe signature or timestamp' });
      }
      const at = { eventId: event.id, type: event.type };
      try {
        const paymentEvent = await opts.stripe.readEvent(event);
        const outcome = await applyPaymentEvent(opts.deps, paymentEvent, { lockTimeoutMs: opts.lockTimeoutMs ?? 5_000 });
        // needs_attention: a won dispute whose seats are gone; the admin's order list shows it too.
        const level = outcome === 'unknown_payment' || outcome === 'amount_mismatch' ? 'error' : outcome === 'needs_attention' ? 'warn' : 'info';
        req.log[level]({ ...at, outcome, note: paymentEvent.note }, 'stripe webhook handled');
        return reply.code(200).send({ received: true });
      } catch (err) {
        if (isPermanentStripeError(err)) {
          req.log.error({ ...at, err }, 'stripe webhook names an object Stripe does not know; acknowledged');
          return reply.code(200).send({ received: true });
        }
        const transient = isTransientDbError(err) || isTransientStripeError(err);
        req.log.error({ ...at, err, transient }, 'stripe webhook failed; Stripe will retry');
        return reply.code(transient ? 503 : 500).send({ error: transient ? 'Busy, retry later' : 'Internal error' });
      }
    });
  });
}
