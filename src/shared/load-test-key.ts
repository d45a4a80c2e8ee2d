/**
 * The header the load generator sends its event's load-test key in (never a URL, never logged: the
 * server's logger censors it). Only calls for that load-test event are exempt from per-address limits.
 */
export const LOAD_TEST_KEY_HEADER = 'x-gatekeeper-load-test-key';
