/** An event's start for people: "Sat, 12 Dec 2026, 19:30" in the visitor's time zone. */
export const formatStartsAt = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
