/**
 * A small in-process cache that forgets its oldest entries past a total size: rendered documents and
 * signed links are kept per exact input (the key includes the ticket secrets), so a changed ticket
 * never gets an old file, and repeated downloads cost a lookup instead of a rendering.
 */
export function boundedCache<V>(maxSize: number, sizeOf: (v: V) => number) {
  const entries = new Map<string, V>();
  let total = 0;
  return {
    get(key: string): V | undefined {
      const v = entries.get(key);
      if (v !== undefined) {
        entries.delete(key); // most recently used goes last
        entries.set(key, v);
      }
      return v;
    },
    set(key: string, v: V) {
      const old = entries.get(key);
      if (old !== undefined) total -= sizeOf(old);
      entries.delete(key);
      entries.set(key, v);
      total += sizeOf(v);
      for (const [k, oldest] of entries) {
        if (total <= maxSize || entries.size === 1) break;
        entries.delete(k);
        total -= sizeOf(oldest);
      }
    },
  };
}
