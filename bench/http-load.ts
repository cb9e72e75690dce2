// Load generators over node:http with a keep-alive agent of many sockets, one request per socket at a time (no
// pipelining). Open loop: requests leave at fixed intervals whatever the answers, and latency counts from the
// moment a request was due, so a slow server cannot hide its queue (no coordinated omission). Closed loop: a
// fixed number of callers, each sending its next request when the last one is answered (capacity).
import { Agent, request } from 'node:http';

export interface Answer {
  status: number; // 0: no answer (connection error or timeout)
  latencyMs: number;
  /** When the answer arrived (ms, performance.now()). */
  at: number;
  body: string;
}

export interface Target {
  url: string;
  path: string;
  token?: string | undefined;
}

const agent = new Agent({ keepAlive: true, maxSockets: 512, keepAliveMsecs: 1_000 });

export function send(t: Target, body: string, due: number): Promise<Answer> {
  return new Promise((resolve) => {
    const done = (status: number, text: string) => {
      const at = performance.now();
      resolve({ status, latencyMs: at - due, at, body: text });
    };
    const req = request(
      `${t.url}${t.path}`,
      {
        method: 'POST',
        agent,
        timeout: 30_000,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...(t.token ? { authorization: `Bearer ${t.token}` } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(res.statusCode ?? 0, Buffer.concat(chunks).toString()));
        res.on('error', () => done(0, ''));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => done(0, ''));
    req.end(body);
  });
}

/**
 * Offers `rate` requests per second for `seconds`; bodies are made before the clock starts. `lateMs`: how long
 * after its due time each request actually left (the generator's own error, in every latency it reports).
 */
export async function openLoop(
  t: Target,
  rate: number,
  seconds: number,
  makeBody: () => string,
): Promise<{ answers: Answer[]; startedAt: number; lateMs: number[] }> {
  const total = Math.max(1, Math.round(rate * seconds));
  const bodies = Array.from({ length: total }, makeBody);
  const pending: Promise<Answer>[] = [];
  const lateMs: number[] = [];
  const startedAt = performance.now();
  const interval = 1_000 / rate;
  let next = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next < total && startedAt + next * interval <= now) {
        const due = startedAt + next * interval;
        lateMs.push(performance.now() - due);
        pending.push(send(t, bodies[next]!, due));
        next++;
      }
      if (next >= total) return resolve();
      // Node's timers run on a millisecond clock and fire up to a millisecond or two late, and that lateness
      // counted in every latency (about 0.3 ms of a 3 ms p50 at 40/s, measured). So sleep to within 2 ms of the
      // next due time and poll from there with setImmediate, which still lets the answers in between.
      const wait = startedAt + next * interval - performance.now();
      if (wait > 2) setTimeout(tick, Math.min(5, wait - 2));
      else setImmediate(tick);
    };
    tick();
  });
  return { answers: await Promise.all(pending), startedAt, lateMs };
}

/** `callers` loops for `seconds`, each waiting for its answer before the next request. */
export async function closedLoop(t: Target, callers: number, seconds: number, makeBody: () => string): Promise<{ answers: Answer[]; seconds: number }> {
  const answers: Answer[] = [];
  const startedAt = performance.now();
  const end = startedAt + seconds * 1_000;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (performance.now() < end) answers.push(await send(t, makeBody(), performance.now()));
    }),
  );
  return { answers, seconds: (performance.now() - startedAt) / 1_000 };
}
