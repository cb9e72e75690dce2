// How many slots a replica should hold: an even share of the live relays. Membership is itself an advisory lock
// (one per relay session, keyed by its backend pid; src/store/locks.ts), so a replica that dies leaves the count
// with its session, in the same instant its slots fall free.

/** An even share, rounded up so that the shares always cover every slot. */
export function fairShare(slots: number, members: number): number {
  return Math.ceil(slots / Math.max(1, members));
}
