/** Where "now" comes from. Services never call `new Date()` so tests can move time (hold expiry). */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** A clock tests can move forward: `clock.advance(16 * 60_000)`. */
export function manualClock(start = new Date('2030-01-01T10:00:00Z')): Clock & { advance(ms: number): void; set(d: Date): void } {
  let current = start.getTime();
  const clock = () => new Date(current);
  clock.advance = (ms: number) => {
    current += ms;
  };
  clock.set = (d: Date) => {
    current = d.getTime();
  };
  return clock;
}
