import { Field } from '../../ui/Field.tsx';

// Every zone this browser knows, offered as suggestions; the server checks the name again.
const ZONES: string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

/** The event's IANA time zone; the dates of the same form are wall-clock times in it. */
export function TimeZoneField({ defaultValue, errors }: { defaultValue: string; errors?: string[] }) {
  return (
    <>
      <Field
        label="Time zone"
        name="timeZone"
        defaultValue={defaultValue}
        list="time-zones"
        autoComplete="off"
        hint="Where the event happens, e.g. Europe/Berlin. Customers see every time in it; the dates below are in it too."
        errors={errors}
      />
      <datalist id="time-zones">
        {ZONES.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
    </>
  );
}
