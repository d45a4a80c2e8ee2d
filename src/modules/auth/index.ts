export type { Role, SessionUser } from './dto.ts';
export { SESSION_COOKIE, sessionUser, ensureFirstAdmin, createUser, login } from './service.ts';
