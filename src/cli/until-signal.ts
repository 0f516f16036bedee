/** Signals within this long after the first are echoes of the same stop, not a second request. */
const ECHO_MS = 1_000;

/**
 * Resolves with the signal's name on the first SIGINT or SIGTERM (Ctrl-C, `kill`, a supervisor),
 * and keeps listening for the rest of the process: a later signal calls `onRepeat` instead of
 * killing the process halfway through its shutdown. (Removing the listeners would restore the
 * default action.) One stop often brings several signals at once: a terminal's Ctrl-C reaches
 * every process of its foreground group (npm and node under `npm start`), and npm forwards the
 * SIGINT or SIGTERM it gets to its script's process; those echoes, within a second of the first,
 * are ignored.
 */
export function untilSignal(onRepeat: (signal: NodeJS.Signals) => void = () => {}): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let first: number | undefined;
    const on = (signal: NodeJS.Signals) => {
      if (first === undefined) {
        first = performance.now();
        resolve(signal);
      } else if (performance.now() - first > ECHO_MS) {
        onRepeat(signal);
      }
    };
    process.on("SIGINT", on);
    process.on("SIGTERM", on);
  });
}
