import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppDeps } from './context.ts';

const probeInput = z.object({
  ticketIds: z.array(z.uuid()).min(1).max(10_000),
  seconds: z.number().min(0.5).max(60),
  concurrency: z.number().int().min(1).max(200),
});

/**
 * The load test's database ceiling, measured inside the server through the server's own pool: as many
 * single-row conditional UPDATEs by primary key as `concurrency` loops can commit in `seconds` — the
 * shape of the check-in write (one indexed row, a condition, one round trip, one commit) without HTTP,
 * tRPC or validation. Each loop owns its own tickets so loops never wait on each other's row locks.
 * Registered only with LOADTEST=true (refused in production by config).
 */
export function registerLoadtestProbe(app: FastifyInstance, deps: AppDeps) {
  app.post('/internal/loadtest/db-update-rate', async (req, reply) => {
    const parsed = probeInput.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send({ error: 'Bad Request', message: parsed.error.message });
    const { ticketIds, seconds, concurrency } = parsed.data;
    const until = performance.now() + seconds * 1000;
    let updates = 0;
    const loop = async (worker: number) => {
      for (let i = worker; performance.now() < until; i += concurrency) {
        const id = ticketIds[i % ticketIds.length]!;
        await deps.db.execute(sql`UPDATE tickets SET voided_at = NULL WHERE id = ${id} AND status = 'valid'`);
        updates++;
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, (_, w) => loop(w)));
    const elapsed = (performance.now() - started) / 1000;
    return { updates, seconds: elapsed, rps: updates / elapsed };
  });
}
