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

/**
 * Seconds a person stands at a scanner: showing the phone or paper, the beep, reading green or red and
 * walking on. Field numbers for QR gates are 2–4 s; 3 s is the middle. The server's answer adds to it.
 */
export const HANDLING_SECONDS = 3;
/** Scanners busier than this build queues that grow in bursts (queueing: waits rise steeply past ~80 %). */
export const TARGET_UTILISATION = 0.8;

/** Devices per gate so each runs at most TARGET_UTILISATION busy at the peak, given the measured answer time. */
export function devicesPerGate(peakScansPerSec: number, gates: number, scanAnswerMs: number) {
  const perDevicePerSec = 1 / (HANDLING_SECONDS + scanAnswerMs / 1000);
  return Math.max(1, Math.ceil(peakScansPerSec / gates / (perDevicePerSec * TARGET_UTILISATION)));
}
