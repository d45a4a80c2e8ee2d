/*
 * What an error may say in a log line. Drizzle puts the failed statement's bound parameters into its
 * message ("Failed query: … params: …") and on the error (`params`); those are QR secrets, token hashes,
 * names and emails. PostgreSQL's `detail` repeats key values ("Key (code)=(123456) already exists") and its
 * data-exception messages quote the offending input. A logged error keeps what tells an operator what
 * failed — the SQL text, SQLSTATE, constraint, table, column — and drops the values.
 */

export type SafeError = {
  type: string;
  message: string;
  /** Frames only (the stack's first lines repeat the unsafe message); empty for non-errors. */
  stack: string;
  /** The statement's text (placeholders $1, $2 … never their values). */
  sql?: string;
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
  severity?: string;
  cause?: SafeError;
};

const MAX_CAUSES = 5;
// PostgreSQL class 22 (data exception): messages quote the input value, e.g. invalid input syntax for type uuid: "…".
const QUOTES_INPUT = /^22/;
const PG_FIELDS = ['constraint', 'table', 'column', 'severity'] as const;

type Loose = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/** An error (and its causes) as it may be logged. Non-errors are described by type only. */
export function safeError(err: unknown, depth = 0): SafeError {
  // A thrown non-Error (a string, an object) could hold anything: say only what it was.
  if (!(err instanceof Error)) return { type: typeof err, message: 'a value that is not an Error was thrown', stack: '' };
  const e = err as Error & Loose;
  const out: SafeError = { type: e.name === 'Error' ? e.constructor.name : e.name, message: safeErrorMessage(err), stack: framesOf(e.stack) };
  const query = str(e.query);
  if (query !== undefined) out.sql = query;
  // Drizzle wraps the driver's error: its SQLSTATE and constraint are lifted next to the SQL they belong to.
  const driver = query !== undefined && e.cause instanceof Error ? (e.cause as Error & Loose) : undefined;
  for (const field of ['code', ...PG_FIELDS] as const) {
    const v = str(e[field]) ?? str(driver?.[field]);
    if (v !== undefined) out[field] = v;
  }
  if (e.cause !== undefined && depth < MAX_CAUSES) out.cause = safeError(e.cause, depth + 1);
  return out;
}

/** An error's message with statement parameters and quoted input values taken out. */
export function safeErrorMessage(err: unknown): string {
  if (!(err instanceof Error)) return safeError(err).message;
  const e = err as Error & Loose;
  if (typeof e.query === 'string') return `Failed query: ${e.query}`;
  const code = str(e.code);
  return code !== undefined && QUOTES_INPUT.test(code) ? redactQuoted(e.message) : e.message;
}

function framesOf(stack: string | undefined): string {
  return (stack ?? '')
    .split('\n')
    .filter((l) => /^\s+at /.test(l))
    .join('\n');
}

const redactQuoted = (text: string) => text.replace(/"[^"]*"/g, '"…"');

/** Logger input with every Error value (at the top level) made safe: for loggers without pino's serializers. */
export function withSafeErrors<T extends object>(obj: T): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = v instanceof Error ? safeError(v) : v;
  return out;
}

const NETWORK_CAUSES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
};

/** Why a connection failed, in a few words: the network code, or the server's own message (no parameters). */
export function describeCause(err: unknown): string {
  const e = err as { code?: unknown; errors?: unknown[]; message?: unknown };
  // Node reports a host with several addresses as an AggregateError whose own message is empty.
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (code && NETWORK_CAUSES[code]) return `${NETWORK_CAUSES[code]} (${code})`;
  const message = safeErrorMessage(err).split('\n')[0]!.trim().replace(/\.+$/, '');
  return message || code || 'unknown error';
}
