/**
 * Crowd → peak scan rate. Arrivals are not uniform: most people come in the middle of the window (doors,
 * trains, the support act). We model the busiest minute as PEAK_FACTOR times the mean arrival rate — for
 * a bell-shaped arrival curve over the window, the peak of the curve is about twice its mean — and one
 * scan per attendee (re-scans and failed scans are within the factor's margin).
 */
export const PEAK_FACTOR = 2;

export function peakScansPerSecond(attendees: number, arrivalMinutes: number) {
  const meanPerSec = attendees / (arrivalMinutes * 60);
  return {
    attendees,
    arrivalMinutes,
    peakFactor: PEAK_FACTOR,
    meanScansPerSec: Math.round(meanPerSec * 10) / 10,
    peakScansPerSec: Math.ceil(meanPerSec * PEAK_FACTOR),
  };
}
