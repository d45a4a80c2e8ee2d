import { useState } from 'react';

/** A setting of this phone's gate kept across reloads (per browser, not per event). */
export function usePersisted<T extends string | number>(key: string, initial: T): [T, (v: T) => void] {
  const [value, setValue] = useState<T>(() => {
    const stored = localStorage.getItem(key);
    if (stored === null) return initial;
    return (typeof initial === 'number' ? Number(stored) : stored) as T;
  });
  return [value, (v: T) => (localStorage.setItem(key, String(v)), setValue(v))];
}

const AUTO_NEXT_CHOICES = [
  [0, 'wait for a tap'],
  [1000, 'next after 1 s'],
  [2000, 'next after 2 s'],
  [3000, 'next after 3 s'],
] as const;

/** Entry/exit mode and continuous scanning (after green only: amber and red always wait for a tap). */
export function GateControls(props: {
  direction: 'in' | 'out';
  onDirection: (d: 'in' | 'out') => void;
  autoNextMs: number;
  onAutoNextMs: (ms: number) => void;
}) {
  return (
    <div className="gate-controls">
      <div role="group" aria-label="Scan direction">
        {(['in', 'out'] as const).map((d) => (
          <button key={d} type="button" aria-pressed={props.direction === d} onClick={() => props.onDirection(d)}>
            {d === 'in' ? 'Entry' : 'Exit'}
          </button>
        ))}
      </div>
      <label>
        After green{' '}
        <select value={props.autoNextMs} onChange={(e) => props.onAutoNextMs(Number(e.target.value))}>
          {AUTO_NEXT_CHOICES.map(([ms, label]) => (
            <option key={ms} value={ms}>
              {label}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
