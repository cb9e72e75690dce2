// Work that many feed answers do at the same moment (one read answers every client waiting on it), taken one
// answer per turn of the event loop: the ingest's requests are read and answered between them, rather than
// waiting behind the whole block. The first in line goes at once, so a lone client waits for nothing.
//
// With `gapMs`, the answers after the first are also spread in time, `gapMs` apart: each answered client comes
// straight back with its next request, so answers sent back to back come back as one block of requests, and an
// ingest caught behind that block waits for all of it. The line is process-wide (every recipient's reads share
// it), so the spread is capped: past `maxSpreadMs` for the whole line, answers go one per turn again.

export interface Turns {
  /** Undefined: go now. Otherwise resolves when it is this caller's turn. */
  mine(): Promise<void> | undefined;
}

export interface TurnsOptions {
  /** Time between two answers after the first (setTimeout's resolution: whole milliseconds). 0: one per turn. */
  gapMs?: number;
  /** The longest the line may be spread over; a longer line goes one per turn. */
  maxSpreadMs?: number;
}

export function createTurns({ gapMs = 0, maxSpreadMs = 0 }: TurnsOptions = {}): Turns {
  const queued: (() => void)[] = [];
  let draining = false;
  const later = (): void => {
    if (gapMs > 0 && queued.length * gapMs <= maxSpreadMs) setTimeout(drain, gapMs);
    else setImmediate(drain);
  };
  const drain = (): void => {
    const next = queued.shift();
    if (next === undefined) {
      draining = false;
      return;
    }
    next();
    later();
  };
  return {
    mine() {
      if (!draining) {
        draining = true;
        // Nobody is in line yet: the next caller waits one turn (or one gap) after this one.
        later();
        return undefined;
      }
      return new Promise<void>((resolve) => queued.push(resolve));
    },
  };
}
