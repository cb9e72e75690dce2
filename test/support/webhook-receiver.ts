// A webhook receiver for tests: a node:http server on 127.0.0.1 that verifies each delivery's Standard Webhooks
// signature, keeps what it took, and answers as the test says (a status, a delay, or not at all while "down").
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedEvent {
  id: string;
  type: string;
  partitionkey: string;
  data: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  url: string;
  /** The subscription's secret, set by the test once it has created the subscription. */
  secret: string | undefined;
  /** Every call that arrived, verified or not, in arrival order. */
  calls: number;
  /** Deliveries answered 2xx, in the order they were answered (duplicates kept). */
  accepted: ReceivedEvent[];
  /** Calls whose signature did not verify. */
  badSignatures: number;
  /** What to answer to the n-th call (1-based): a status, optionally after a delay. Default 204. */
  answer: (call: number, event: ReceivedEvent) => { status: number; delayMs?: number; headers?: Record<string, string> };
  /** Down: the port refuses connections (the server is closed) until up() is called. */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(port = 0): Promise<Receiver> {
  const r: Receiver = {
    url: '',
    secret: undefined,
    calls: 0,
    accepted: [],
    badSignatures: 0,
    answer: () => ({ status: 204 }),
    down: () => new Promise<void>((resolve) => server.close(() => resolve())).then(() => server.closeAllConnections()),
    up: () => listen(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      r.calls++;
      const call = r.calls;
      const body = Buffer.concat(chunks).toString('utf8');
      const key = r.secret;
      try {
        if (!key) throw new Error('no secret yet');
        new Webhook(key).verify(body, req.headers as Record<string, string>);
      } catch {
        r.badSignatures++;
        res.writeHead(401).end();
        return;
      }
      const event = { ...(JSON.parse(body) as Omit<ReceivedEvent, 'headers' | 'body'>), headers: req.headers, body };
      const a = r.answer(call, event);
      setTimeout(() => {
        if (a.status >= 200 && a.status < 300) r.accepted.push(event);
        res.writeHead(a.status, a.headers).end();
      }, a.delayMs ?? 0);
    });
  });
  async function listen(): Promise<void> {
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    r.url = `http://127.0.0.1:${port}/hook`;
  }
  await listen();
  return r;
}

/** Per partition key (the subject), the first deliveries of each event in the order received must follow the
 * order in which the events were committed; returns the keys where they do not. */
export function outOfOrder(accepted: readonly ReceivedEvent[], committed: readonly string[]): string[] {
  const rank = new Map(committed.map((id, i) => [id, i]));
  const last = new Map<string, number>();
  const seen = new Set<string>();
  const bad = new Set<string>();
  for (const e of accepted) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    const n = rank.get(e.id);
    if (n === undefined) continue;
    if ((last.get(e.partitionkey) ?? -1) > n) bad.add(e.partitionkey);
    last.set(e.partitionkey, n);
  }
  return [...bad];
}
