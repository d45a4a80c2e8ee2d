import { useId, type InputHTMLAttributes, type ReactNode } from 'react';

type FieldProps = InputHTMLAttributes<HTMLInputElement> & {
  label: string;
  hint?: ReactNode;
  /** The server's (or the form's own) messages for this field. */
  errors?: string[];
  /** Another control instead of an <input>, e.g. a <textarea>; it gets the ids through render props. */
  render?: (a11y: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode;
};

/** A labelled input with its hint and errors wired up for screen readers. */
export function Field({ label, hint, errors, render, ...input }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;
  const a11y = {
    id,
    'aria-invalid': Boolean(errorId),
    'aria-describedby': [hintId, errorId].filter(Boolean).join(' ') || undefined,
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {render ? render(a11y) : <input {...input} {...a11y} />}
      {hint && (
        <small id={hintId} className="hint">
          {hint}
        </small>
      )}
      <FieldError id={errorId} errors={errors} />
    </div>
  );
}

/** Messages for one field; also used next to controls that are not a plain <Field>. */
export function FieldError({ errors, id }: { errors?: string[]; id?: string }) {
  if (!errors?.length) return null;
  return (
    <p id={id} className="field-error">
      {errors.join(' ')}
    </p>
  );
}
