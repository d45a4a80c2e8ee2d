import { useState } from 'react';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'back'] as const;

/** Big keys for the 6-digit code of a ticket that will not scan. */
export function Keypad({ onSubmit, disabled }: { onSubmit: (code: string) => void; disabled?: boolean }) {
  const [code, setCode] = useState('');
  const press = (key: (typeof KEYS)[number]) => {
    if (key === 'clear') setCode('');
    else if (key === 'back') setCode((c) => c.slice(0, -1));
    else setCode((c) => (c.length < 9 ? c + key : c));
  };
  const submit = () => {
    if (code.length < 6) return;
    onSubmit(code);
    setCode('');
  };
  return (
    <div className="keypad">
      <output className="keypad-display" aria-label="Code">
        {code || '······'}
      </output>
      <div className="keypad-keys">
        {KEYS.map((k) => (
          <button key={k} type="button" onClick={() => press(k)} aria-label={k === 'back' ? 'Delete' : k === 'clear' ? 'Clear' : k}>
            {k === 'back' ? '⌫' : k === 'clear' ? 'C' : k}
          </button>
        ))}
      </div>
      <button type="button" className="keypad-go" onClick={submit} disabled={disabled || code.length < 6}>
        Check code
      </button>
    </div>
  );
}
