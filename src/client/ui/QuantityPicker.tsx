type Props = {
  /** What is counted, for screen readers: "Quantity of Early bird". */
  label: string;
  value: number;
  max: number;
  onChange(value: number): void;
  disabled?: boolean;
};

/** − n + with large touch targets; the buttons say what they change. */
export function QuantityPicker({ label, value, max, onChange, disabled }: Props) {
  return (
    <div className="quantity" role="group" aria-label={label}>
      <button type="button" aria-label={`Fewer: ${label}`} disabled={disabled || value <= 0} onClick={() => onChange(value - 1)}>
        −
      </button>
      <output aria-live="polite" aria-label={label}>
        {value}
      </output>
      <button type="button" aria-label={`More: ${label}`} disabled={disabled || value >= max} onClick={() => onChange(value + 1)}>
        +
      </button>
    </div>
  );
}
