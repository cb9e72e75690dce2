// When to try an event again: exponential back-off with jitter, bounded, and a deadline (from the event's commit,
// or a re-drive's request) after which the event becomes a dead letter (decision 0111).

export interface BackoffSettings {
  minMs: number;
  maxMs: number;
  deadlineMs: number;
}

/** The wait after the `attempt`-th failed attempt (1-based): half fixed, half random ("equal jitter"), so waits
 * grow and receivers coming back are not hit by every subscription at once. */
export function backoffDelay(attempt: number, s: BackoffSettings, random: () => number = Math.random): number {
  const ceiling = Math.min(s.maxMs, s.minMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** The wait before the next attempt, or undefined when the deadline passes first: the event is given up. */
export function nextAttemptIn(attempt: number, firstAttemptAt: number, now: number, s: BackoffSettings, random?: () => number): number | undefined {
  const delay = backoffDelay(attempt, s, random);
  const deadline = firstAttemptAt + s.deadlineMs;
  if (now >= deadline) return undefined;
  // The last try lands on the deadline rather than never happening.
  return Math.min(delay, deadline - now);
}
