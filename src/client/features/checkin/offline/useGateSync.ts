import { useEffect, useRef, useState } from 'react';
import { GateSync, type GateStatus } from './sync.ts';

/** The running sync of an enrolled device's event (null for staff logins, who scan online only). */
export function useGateSync(eventId: string | null, onRevoked: () => void) {
  const [sync, setSync] = useState<GateSync | null>(null);
  const [status, setStatus] = useState<GateStatus | null>(null);
  const revoked = useRef(onRevoked);
  revoked.current = onRevoked;
  useEffect(() => {
    if (!eventId) return;
    const s = new GateSync(eventId, () => revoked.current());
    setSync(s);
    const unsubscribe = s.subscribe(setStatus);
    void s.start();
    return () => {
      unsubscribe();
      s.stop();
    };
  }, [eventId]);
  return { sync, status };
}
