import { useState } from 'react';
import { fieldErrorsOf } from '../trpc.ts';

/**
 * Field messages for a form: the form's own checks (things only the browser can judge, such as a price
 * typed as text) first, then the server's field errors from the last failed request.
 */
export function useFormErrors(serverError: unknown) {
  const [local, setLocal] = useState<Record<string, string>>({});
  const server = fieldErrorsOf(serverError);
  return {
    errorsFor: (key: string) => (local[key] ? [local[key]] : server(key)),
    /** Replaces the form's own messages; true when there are none, so the form may submit. */
    check(found: Record<string, string | false>) {
      const messages = Object.fromEntries(Object.entries(found).filter((e): e is [string, string] => e[1] !== false));
      setLocal(messages);
      return Object.keys(messages).length === 0;
    },
  };
}

/** The trimmed text values of a submitted form. */
export function formText(form: HTMLFormElement) {
  const data = new FormData(form);
  return (name: string) => String(data.get(name) ?? '').trim();
}

/** "" → null (not given), "12" → 12, anything else → NaN (the caller reports it). */
export const wholeNumber = (text: string) => (text === '' ? null : /^\d{1,9}$/.test(text) ? Number(text) : NaN);
