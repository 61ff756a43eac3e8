/**
 * A clock that runs `scale` times faster than real time from now on (`--time-scale`): at 60,
 * a 5-minute cache entry expires after 5 real seconds, a 1-hour one after a minute. Wall-clock
 * time is the starting point, so entry times stay plausible.
 */
export function scaledClock(scale: number, realNow: () => number = Date.now): () => number {
  const start = realNow();
  return () => start + (realNow() - start) * scale;
}
