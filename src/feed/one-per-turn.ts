// Work that many feed answers do at the same moment (one read answers every client waiting on it), taken one
// answer per turn of the event loop: the ingest's requests are read and answered between them, rather than
// waiting behind the whole block. The first in line goes at once, so a lone client waits for nothing.

export interface Turns {
  /** Undefined: go now. Otherwise resolves when it is this caller's turn. */
  mine(): Promise<void> | undefined;
}

export function createTurns(): Turns {
  const queued: (() => void)[] = [];
  let draining = false;
  const drain = (): void => {
    const next = queued.shift();
    if (next === undefined) {
      draining = false;
      return;
    }
    next();
    setImmediate(drain);
  };
  return {
    mine() {
      if (!draining) {
        draining = true;
        setImmediate(drain);
        return undefined;
      }
      return new Promise<void>((resolve) => queued.push(resolve));
    },
  };
}
