import type { Log } from './delivery.ts';

/**
 * Runs `pass` now and then every `intervalMs` — at once again when it returned a full batch, so a
 * backlog drains without waiting. A failing pass is logged and tried again next time.
 */
export function pollLoop(opts: { pass(isStopped: () => boolean): Promise<number>; intervalMs: number; batch: number; log: Log; what: string }) {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const isStopped = () => stopped;

  function schedule(ms: number) {
    if (stopped) return;
    timer = setTimeout(() => {
      running = opts.pass(isStopped).then(
        (count) => schedule(count === opts.batch ? 0 : opts.intervalMs),
        (err: unknown) => {
          opts.log.error({ err }, `${opts.what} failed`);
          schedule(opts.intervalMs);
        },
      );
    }, ms);
    timer.unref();
  }
  schedule(0);

  return {
    /** Lets the pass in hand finish, then stops. */
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
