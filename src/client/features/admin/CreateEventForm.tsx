import type { FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { trpc } from '../../trpc.ts';
import { ErrorBox } from '../../ui/ErrorBox.tsx';
import { Field } from '../../ui/Field.tsx';
import { formText, useFormErrors, wholeNumber } from '../../ui/useFormErrors.ts';
import { localTimeZone, wallClockToIso } from '../../../shared/time-zone.ts';
import { TimeZoneField } from './TimeZoneField.tsx';

export function CreateEventForm() {
  const navigate = useNavigate();
  const utils = trpc.useUtils();
  const create = trpc.admin.createEvent.useMutation({
    onSuccess: ({ eventId }) => {
      void utils.admin.listEvents.invalidate();
      navigate(`/admin/events/${eventId}`);
    },
  });
  const { errorsFor, check } = useFormErrors(create.error);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const text = formText(e.currentTarget);
    const timeZone = text('timeZone') || 'UTC';
    const startsAt = wallClockToIso(text('startsAt'), timeZone);
    const holdMinutes = wholeNumber(text('holdMinutes'));
    const ok = check({
      startsAt: !startsAt && 'Pick the date and time the event starts',
      holdMinutes: Number.isNaN(holdMinutes) && 'Enter whole minutes',
    });
    if (!ok || !startsAt) return;
    create.mutate({
      name: text('name'),
      startsAt,
      timeZone,
      currency: text('currency'),
      ...(text('venue') ? { venue: text('venue') } : {}),
      ...(text('description') ? { description: text('description') } : {}),
      ...(holdMinutes !== null ? { holdMinutes } : {}),
    });
  };
  return (
    <form className="card" onSubmit={submit} noValidate aria-label="Create event">
      <h2>New event</h2>
      <Field label="Name" name="name" required errors={errorsFor('name')} />
      <Field label="Starts at" name="startsAt" type="datetime-local" required hint="In the event's time zone." errors={errorsFor('startsAt')} />
      <TimeZoneField defaultValue={localTimeZone()} errors={errorsFor('timeZone')} />
      <Field label="Venue (optional)" name="venue" errors={errorsFor('venue')} />
      <Field
        label="Description (optional)"
        errors={errorsFor('description')}
        render={(a11y) => <textarea name="description" rows={3} {...a11y} />}
      />
      <div className="field-row">
        <Field
          label="Currency"
          name="currency"
          defaultValue="EUR"
          maxLength={3}
          autoCapitalize="characters"
          hint="ISO 4217 code: EUR, USD, GBP…"
          errors={errorsFor('currency')}
        />
        <Field
          label="Hold minutes (optional)"
          name="holdMinutes"
          inputMode="numeric"
          hint="How long an unpaid order keeps its seats; the server default if empty."
          errors={errorsFor('holdMinutes')}
        />
      </div>
      <ErrorBox error={create.error} />
      <button type="submit" className="primary" disabled={create.isPending}>
        Create event
      </button>
    </form>
  );
}
