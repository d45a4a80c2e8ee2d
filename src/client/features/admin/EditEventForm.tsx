import type { FormEvent } from 'react';
import { trpc, type RouterInputs, type RouterOutputs } from '../../trpc.ts';
import { ErrorBox } from '../../ui/ErrorBox.tsx';
import { Field } from '../../ui/Field.tsx';
import { formText, useFormErrors, wholeNumber } from '../../ui/useFormErrors.ts';
import { isoToWallClock, wallClockToIso } from '../../../shared/time-zone.ts';
import { TimeZoneField } from './TimeZoneField.tsx';

type AdminEvent = RouterOutputs['admin']['getEvent'];
type Update = RouterInputs['admin']['updateEvent'];

/**
 * The event's details and sales window. Date fields are sent only when edited, so saving a new name does
 * not round a start time that was set to the second through the API. An empty sales field clears it.
 * Dates are wall-clock times in the event's zone; when the zone changes they are read in the new one
 * (and all sent): "19:00" stays 19:00 where the event happens.
 */
export function EditEventForm({ event }: { event: AdminEvent }) {
  const utils = trpc.useUtils();
  const update = trpc.admin.updateEvent.useMutation({ onSuccess: () => utils.admin.getEvent.invalidate({ eventId: event.id }) });
  const { errorsFor, check } = useFormErrors(update.error);

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const text = formText(e.currentTarget);
    const timeZone = text('timeZone') || event.timeZone;
    const zoneChanged = timeZone !== event.timeZone;
    const edited = (name: 'startsAt' | 'salesStartAt' | 'salesEndAt') => zoneChanged || text(name) !== isoToWallClock(event[name], event.timeZone);
    const startsAt = wallClockToIso(text('startsAt'), timeZone);
    const salesStartAt = wallClockToIso(text('salesStartAt'), timeZone);
    const salesEndAt = wallClockToIso(text('salesEndAt'), timeZone);
    const holdMinutes = wholeNumber(text('holdMinutes'));
    const maxTicketsPerOrder = wholeNumber(text('maxTicketsPerOrder'));
    const smsCountries = text('smsCountries').split(/[\s,]+/).filter(Boolean);
    const ok = check({
      maxTicketsPerOrder: (maxTicketsPerOrder === null || Number.isNaN(maxTicketsPerOrder)) && 'Enter a whole number from 1 to 100',
      startsAt: !startsAt && 'Pick the date and time the event starts',
      salesStartAt: text('salesStartAt') !== '' && !salesStartAt && 'Pick a date and time, or leave empty',
      salesEndAt: text('salesEndAt') !== '' && !salesEndAt && 'Pick a date and time, or leave empty',
      holdMinutes: (holdMinutes === null || Number.isNaN(holdMinutes)) && 'Enter whole minutes',
    });
    if (!ok || !startsAt || holdMinutes === null || maxTicketsPerOrder === null) return;
    const input: Update = {
      eventId: event.id,
      name: text('name'),
      venue: text('venue'),
      description: text('description'),
      holdMinutes,
      maxTicketsPerOrder,
      smsCountries,
      ...(zoneChanged ? { timeZone } : {}),
      ...(edited('startsAt') ? { startsAt } : {}),
      ...(edited('salesStartAt') ? { salesStartAt } : {}),
      ...(edited('salesEndAt') ? { salesEndAt } : {}),
    };
    update.mutate(input);
  };
  const dateField = (name: 'startsAt' | 'salesStartAt' | 'salesEndAt', label: string, hint: string) => (
    <Field
      label={label}
      name={name}
      type="datetime-local"
      defaultValue={isoToWallClock(event[name], event.timeZone)}
      hint={hint}
      errors={errorsFor(name)}
    />
  );

  return (
    <form className="card" onSubmit={submit} noValidate aria-label="Edit event">
      <h2>Details and sales window</h2>
      <Field label="Name" name="name" defaultValue={event.name} required errors={errorsFor('name')} />
      <TimeZoneField defaultValue={event.timeZone} errors={errorsFor('timeZone')} />
      {dateField('startsAt', 'Starts at', `In the event's time zone (${event.timeZone}).`)}
      <Field label="Venue (optional)" name="venue" defaultValue={event.venue ?? ''} errors={errorsFor('venue')} />
      <Field
        label="Description (optional)"
        errors={errorsFor('description')}
        render={(a11y) => <textarea name="description" rows={3} defaultValue={event.description ?? ''} {...a11y} />}
      />
      <Field
        label="Hold minutes"
        name="holdMinutes"
        inputMode="numeric"
        defaultValue={String(event.holdMinutes)}
        hint="How long an unpaid order keeps its seats."
        errors={errorsFor('holdMinutes')}
      />
      <div className="field-row">
        <Field
          label="Tickets per order"
          name="maxTicketsPerOrder"
          inputMode="numeric"
          defaultValue={String(event.maxTicketsPerOrder)}
          hint="Most tickets one order may hold (1–100)."
          errors={errorsFor('maxTicketsPerOrder')}
        />
        <Field
          label="SMS to numbers from"
          name="smsCountries"
          defaultValue={event.smsCountries.join(', ')}
          hint="Country codes such as DE, GB, US. Empty: no SMS (each one costs money)."
          errors={errorsFor('smsCountries') ?? errorsFor('smsCountries.0')}
        />
      </div>
      <div className="field-row">
        {dateField('salesStartAt', 'Sales start (optional)', 'Empty: on sale as soon as published.')}
        {dateField('salesEndAt', 'Sales end (optional)', 'Empty: until the event starts.')}
      </div>
      <ErrorBox error={update.error} />
      {update.isSuccess && (
        <p role="status" className="muted">
          Saved.
        </p>
      )}
      <button type="submit" className="primary" disabled={update.isPending}>
        Save changes
      </button>
    </form>
  );
}
