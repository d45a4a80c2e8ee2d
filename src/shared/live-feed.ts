/**
 * Wakes whoever watches an event when something there changed (a scan, a sale): fed by PostgreSQL
 * LISTEN/NOTIFY, so a change committed by any server process reaches the watchers of every process.
 */
export type LiveFeed = {
  /** Calls `onChange` (no data: the watcher reads what it needs) after each change of the event; returns the unsubscribe. */
  subscribe(eventId: string, onChange: () => void): () => void;
};

/** The in-process part: listeners per event, fed with event ids by whatever listens to the database. */
export function liveFeedHub() {
  const watchers = new Map<string, Set<() => void>>();
  const feed: LiveFeed = {
    subscribe(eventId, onChange) {
      let set = watchers.get(eventId);
      if (!set) watchers.set(eventId, (set = new Set()));
      set.add(onChange);
      return () => {
        set.delete(onChange);
        if (set.size === 0) watchers.delete(eventId);
      };
    },
  };
  const publish = (eventId: string) => {
    for (const fn of watchers.get(eventId) ?? []) fn();
  };
  return { feed, publish };
}
