import { formatInZone } from '../../shared/time-zone.ts';

/** An event's start for customers: "Sat 12 Dec 2026, 19:30 CET", on the event's own wall clock. */
export const formatStartsAt = (iso: string, timeZone: string) => formatInZone(iso, timeZone, 'short');

/** A moment in the reader's own zone (admin tables: when an account was made, a message failed). */
export const formatLocal = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
