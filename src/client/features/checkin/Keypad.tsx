const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'back'] as const;

/**
 * Big keys for the 6-digit code of a ticket that will not scan. Controlled: the gate holds the typed
 * value, so a hardware keyboard fills the same display.
 */
export function Keypad({
  value,
  onChange,
  onSubmit,
  disabled,
}: {
  value: string;
  onChange: (code: string) => void;
  onSubmit: () => void;
  disabled?: boolean;
}) {
  const code = /^\d*$/.test(value) ? value : '';
  const press = (key: (typeof KEYS)[number]) => {
    if (key === 'clear') onChange('');
    else if (key === 'back') onChange(code.slice(0, -1));
    else onChange(code.length < 9 ? code + key : code);
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
      <button type="button" className="keypad-go" onClick={onSubmit} disabled={disabled || code.length < 6}>
        Check code
      </button>
    </div>
  );
}
