import type { Remote } from './remote.ts';

/*
 * The organizer's live control room during a mixed run: each page is one long-lived tRPC subscription
 * over Server-Sent Events (`admin.liveStats`), recomputed by the server whenever a scan or sale on any
 * process wakes it — the load a real dashboard adds, which a polled call would not model.
 */

export type LivePages = {
  /** Closes every page; how many were open and how many updates they received. */
  close(): Promise<{ livePages: number; liveUpdates: number; liveErrors: string[] }>;
};

export function openLivePages(admin: Remote, eventId: string, count: number): LivePages {
  const stop = new AbortController();
  let updates = 0;
  const errors: string[] = [];
  const input = encodeURIComponent(JSON.stringify({ eventId }));
  const page = async () => {
    try {
      const res = await fetch(`${admin.url}/trpc/admin.liveStats?input=${input}`, {
        headers: { accept: 'text/event-stream', cookie: admin.cookie ?? '' },
        signal: stop.signal,
      });
      if (!res.ok || !res.body) return void errors.push(`live page answered ${res.status}`);
      const decoder = new TextDecoder();
      let pending = '';
      const reader = res.body.getReader();
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        pending += decoder.decode(chunk.value, { stream: true });
        const events = pending.split('\n\n');
        pending = events.pop()!;
        // tRPC sends each new value as a `data:` event (pings and connection events carry no data line).
        updates += events.filter((e) => /^data: \{/m.test(e) && !/^event: /m.test(e)).length;
      }
    } catch (err) {
      if (!stop.signal.aborted) errors.push((err as Error).message);
    }
  };
  const pages = Array.from({ length: count }, page);
  return {
    async close() {
      stop.abort();
      await Promise.all(pages);
      return { livePages: count, liveUpdates: updates, liveErrors: errors };
    },
  };
}
