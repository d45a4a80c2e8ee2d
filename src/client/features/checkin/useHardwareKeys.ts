import { useEffect, useRef } from 'react';

type Handlers = { onChar(c: string): void; onBackspace(): void; onEnter(): void; onEscape(): void };

/**
 * Keys typed anywhere on the page (not into a form field): a USB or Bluetooth scanner in keyboard mode
 * types the QR's text and Enter; a hardware keyboard types a code. No tap needed.
 */
export function useHardwareKeys(handlers: Handlers) {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const h = ref.current;
      if (e.key === 'Enter') h.onEnter();
      else if (e.key === 'Escape') h.onEscape();
      else if (e.key === 'Backspace') h.onBackspace();
      else if (e.key.length === 1) h.onChar(e.key);
      else return;
      // Enter would also "click" the focused button (the last one tapped): the scan must not do that.
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
