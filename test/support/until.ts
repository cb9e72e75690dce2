// Polls `read` until `done` holds or the time is up, and returns the last value read (the caller asserts on it,
// so a timeout fails with what was last seen rather than a bare "timed out").
export async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}
