import { Redis } from 'ioredis';

/**
 * The name a process's Redis connection gives itself (`CLIENT LIST` shows it): `gatekeeper:server:<pid>`
 * or `gatekeeper:worker:<pid>`, so an operator sees whose connection it is, and how many there are.
 */
export const redisClientName = (role: 'server' | 'worker', pid = process.pid) => `gatekeeper:${role}:${pid}`;

/**
 * A process's one Redis connection for commands: call limits, readiness, the /metrics queue gauge, the
 * outbox relay's queue, Stripe and message pacing. Every user of it has a way on without Redis (limits in
 * memory, messages left in the outbox, a 503 from /readyz), so a command fails after one reconnect
 * attempt instead of waiting for Redis to come back. BullMQ's worker opens its own two (queue.ts).
 */
export const openRedis = (url: string, role: 'server' | 'worker') =>
  new Redis(url, { connectionName: redisClientName(role), maxRetriesPerRequest: 1, connectTimeout: 2000 });
