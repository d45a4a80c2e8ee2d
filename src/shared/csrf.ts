/**
 * The header our SPA sends on every tRPC request. Cross-site forms and simple requests cannot set a
 * custom header, so a cookie-authenticated mutation that carries it came from our own pages.
 */
export const CSRF_HEADER = 'x-gatekeeper-csrf';
