import { z } from 'zod';

/*
 * Event time zones. Every time shown to customers (storefront, order page, emails, SMS) is the event's
 * wall clock with its abbreviation, whatever zone the server or the browser runs in; organizers type
 * wall-clock times in the event's zone. Shared by server and browser, so both write the same words.
 */

/** The zone's canonical IANA name ("Europe/Berlin"), or null when Intl does not know it. */
export function canonicalTimeZone(name: string): string | null {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

export const timeZoneSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .transform((name, ctx) => {
    const canonical = canonicalTimeZone(name);
    if (!canonical) {
      ctx.addIssue({ code: 'custom', message: 'Use an IANA time zone such as Europe/Berlin or America/New_York' });
      return z.NEVER;
    }
    return canonical;
  });

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat(locale, { ...options, timeZone })));
  return f;
}

const partOf = (parts: Intl.DateTimeFormatPart[], type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';

/**
 * "CET", "CEST", "EST", "UTC": British English names Europe's zones, American English the Americas';
 * where neither has a name the offset stays ("GMT+9").
 */
export function zoneAbbreviation(at: Date, timeZone: string): string {
  const gb = partOf(formatter('en-GB', timeZone, { timeZoneName: 'short' }).formatToParts(at), 'timeZoneName');
  if (!/^GMT[+-]/.test(gb)) return gb;
  const us = partOf(formatter('en-US', timeZone, { timeZoneName: 'short' }).formatToParts(at), 'timeZoneName');
  return /^GMT[+-]/.test(us) ? gb : us;
}

// A fixed locale, not the reader's: the same words on the server, in every browser and in tests.
const LOCALE = 'en-GB';

/** "Friday, 27 March 2026 at 19:00 CET" (long) or "Fri 27 Mar 2026, 19:00 CET" (short), in the zone. */
export function formatInZone(iso: string, timeZone: string, style: 'long' | 'short' = 'long'): string {
  const at = new Date(iso);
  const options: Intl.DateTimeFormatOptions =
    style === 'long'
      ? { dateStyle: 'full', timeStyle: 'short' }
      : { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  return `${formatter(LOCALE, timeZone, options).format(at)} ${zoneAbbreviation(at, timeZone)}`;
}

/** "19:00 CET": a time of the event's day. */
export function formatTimeInZone(iso: string, timeZone: string): string {
  const at = new Date(iso);
  return `${formatter(LOCALE, timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at)} ${zoneAbbreviation(at, timeZone)}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The wall clock in the zone at an instant, as a datetime-local value ("2026-03-27T19:00"). */
export function isoToWallClock(iso: string | null, timeZone: string): string {
  if (!iso) return '';
  const parts = formatter('en-US', timeZone, {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const n = (type: Intl.DateTimeFormatPartTypes) => Number(partOf(parts, type));
  return `${String(n('year')).padStart(4, '0')}-${pad(n('month'))}-${pad(n('day'))}T${pad(n('hour'))}:${pad(n('minute'))}`;
}

/** Milliseconds the zone's wall clock is ahead of UTC at an instant. */
function offsetAt(ms: number, timeZone: string): number {
  const wall = isoToWallClock(new Date(ms).toISOString(), timeZone);
  return Date.parse(`${wall}:00Z`) - Math.floor(ms / 60_000) * 60_000;
}

/**
 * A wall-clock time in the zone ("2026-03-27T19:00") as an ISO instant; null when not a date-time.
 * A time repeated by a DST change (02:30 on the autumn night) is its first occurrence; a time skipped
 * (02:30 on the spring night) is read with the offset before the change, i.e. an hour later (03:30).
 */
export function wallClockToIso(value: string, timeZone: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const asUtc = Date.parse(`${value}:00Z`);
  if (Number.isNaN(asUtc)) return null;
  // A day either side of the wall clock lies outside any change that could touch it.
  const before = offsetAt(asUtc - 86_400_000, timeZone);
  const after = offsetAt(asUtc + 86_400_000, timeZone);
  const matching = [asUtc - before, asUtc - after].filter((ms) => isoToWallClock(new Date(ms).toISOString(), timeZone) === value);
  return new Date(matching.length ? Math.min(...matching) : asUtc - before).toISOString();
}

/** The zone this browser or process runs in (the default for a new event). */
export const localTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
