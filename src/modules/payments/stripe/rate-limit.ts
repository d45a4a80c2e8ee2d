// Stripe's requests are paced per endpoint by the one outbound limiter (src/shared/rate-limit.ts).

/** `POST /v1/checkout/sessions/cs_123/expire` → `POST /v1/checkout/sessions/:id/expire`: one key per endpoint. */
export function endpointKey(method: string, path: string): string {
  const route = path
    .split('?')[0]!
    .split('/')
    // Stripe ids are a prefix, an underscore and mixed-case letters and digits (cs_test_a1B2…, pi_3Nx…).
    .map((segment) => (/^[a-z]+_\w+$/.test(segment) && /[0-9A-Z]/.test(segment) ? ':id' : segment))
    .join('/');
  return `${method.toUpperCase()} ${route}`;
}
