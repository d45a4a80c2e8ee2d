import { describe, expect, it } from 'vitest';
import { formatInZone, formatTimeInZone, isoToWallClock, timeZoneSchema, wallClockToIso, zoneAbbreviation } from './time-zone.ts';

// The process runs far from the events' zones: nothing below may lean on it.
process.env.TZ = 'America/Los_Angeles';

// 2026: Europe/Berlin springs forward on 29 March (02:00 → 03:00) and falls back on 25 October (03:00 → 02:00).
describe('event time zones', () => {
  it('shows 19:00 Europe/Berlin as 19:00 CET, and as CEST after the spring change, whatever the process zone', () => {
    const friday = wallClockToIso('2026-03-27T19:00', 'Europe/Berlin')!;
    const monday = wallClockToIso('2026-03-30T19:00', 'Europe/Berlin')!;
    expect(friday).toBe('2026-03-27T18:00:00.000Z');
    expect(monday).toBe('2026-03-30T17:00:00.000Z');
    expect(formatInZone(friday, 'Europe/Berlin')).toBe('Friday, 27 March 2026 at 19:00 CET');
    expect(formatInZone(monday, 'Europe/Berlin')).toBe('Monday, 30 March 2026 at 19:00 CEST');
    expect(formatTimeInZone(friday, 'Europe/Berlin')).toBe('19:00 CET');
    expect(formatInZone(friday, 'Europe/Berlin', 'short')).toBe('Fri, 27 Mar 2026, 19:00 CET');
  });

  it('names American zones and falls back to the offset where no abbreviation exists', () => {
    expect(zoneAbbreviation(new Date('2026-01-15T12:00:00Z'), 'America/New_York')).toBe('EST');
    expect(zoneAbbreviation(new Date('2026-01-15T12:00:00Z'), 'UTC')).toBe('UTC');
    expect(zoneAbbreviation(new Date('2026-01-15T12:00:00Z'), 'Asia/Tokyo')).toBe('GMT+9');
  });

  it('reads wall clocks across DST changes: a skipped time an hour later, a repeated one at its first occurrence', () => {
    expect(wallClockToIso('2026-03-29T02:30', 'Europe/Berlin')).toBe('2026-03-29T01:30:00.000Z'); // 03:30 CEST
    expect(wallClockToIso('2026-10-25T02:30', 'Europe/Berlin')).toBe('2026-10-25T00:30:00.000Z'); // 02:30 CEST
    expect(wallClockToIso('2026-10-25T03:30', 'Europe/Berlin')).toBe('2026-10-25T02:30:00.000Z');
    expect(isoToWallClock('2026-10-25T00:30:00.000Z', 'Europe/Berlin')).toBe('2026-10-25T02:30');
    expect(isoToWallClock('2026-10-25T01:30:00.000Z', 'Europe/Berlin')).toBe('2026-10-25T02:30');
    expect(wallClockToIso('not a date', 'UTC')).toBeNull();
  });

  it('accepts IANA names only, canonicalised', () => {
    expect(timeZoneSchema.parse('europe/berlin')).toBe('Europe/Berlin');
    expect(timeZoneSchema.safeParse('Mars/Olympus').success).toBe(false);
  });
});
