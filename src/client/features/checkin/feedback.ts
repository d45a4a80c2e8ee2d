/** Sound and vibration for a verdict, where the device allows them (both fail silently otherwise). */
let audio: AudioContext | null = null;

/** Browsers allow sound only after a user gesture: call this from one (the start button). */
export function unlockSound() {
  try {
    audio ??= new AudioContext();
    void audio.resume();
  } catch {
    audio = null;
  }
}

function tone(freq: number, startS: number, lengthS: number) {
  if (!audio) return;
  const osc = audio.createOscillator();
  const gain = audio.createGain();
  osc.type = 'square';
  osc.frequency.value = freq;
  gain.gain.value = 0.15;
  osc.connect(gain).connect(audio.destination);
  const t = audio.currentTime + startS;
  osc.start(t);
  osc.stop(t + lengthS);
}

export type Tone = 'ok' | 'warn' | 'bad';

const patterns: Record<Tone, { tones: [number, number, number][]; vibrate: number[] }> = {
  ok: { tones: [[1320, 0, 0.12]], vibrate: [80] },
  warn: { tones: [[660, 0, 0.12], [660, 0.2, 0.12]], vibrate: [100, 60, 100] },
  bad: { tones: [[220, 0, 0.45]], vibrate: [350] },
};

export function signal(kind: Tone) {
  for (const [f, s, l] of patterns[kind].tones) tone(f, s, l);
  if (typeof navigator.vibrate === 'function') navigator.vibrate(patterns[kind].vibrate);
}
