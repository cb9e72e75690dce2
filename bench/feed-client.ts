// A long-polling pull-feed client for bench:feed: follows the Link header from a cursor until aborted, counting
// pages, bytes and refusals. Given `arrivals`, it parses each page and notes (performance.now()) when each record
// first arrived; without, it counts the body's bytes as they come and parses none: a receiver whose own work is
// done on its own machine. Both take gzip, as HTTP clients commonly do (counted: bytes on the wire). node:http
// with a keep-alive agent: fetch's body handling cost several times more CPU.
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';

export interface FeedTarget {
  url: string;
  recipient: string;
  token: string;
}

export interface FeedClientTally {
  pages: number;
  bytes: number;
  refusals: Map<number, number>;
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

interface Page {
  status: number;
  link: string;
  at: number;
  text: string | null;
}

function get(url: string, token: string, keepText: boolean, tally: FeedClientTally, signal: AbortSignal): Promise<Page> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip' }, signal }, (res) => {
      const at = performance.now();
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => {
        tally.bytes += c.length;
        if (keepText) chunks.push(c);
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          link: String(res.headers.link ?? ''),
          at,
          text: keepText ? decoded(Buffer.concat(chunks), res.headers['content-encoding']).toString('utf8') : null,
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const decoded = (body: Buffer, encoding: string | undefined) => (encoding === 'gzip' ? gunzipSync(body) : body);

export async function feedClient(t: FeedTarget, signal: AbortSignal, start: string, tally: FeedClientTally, arrivals?: Map<string, number>): Promise<void> {
  let after = start;
  for (;;) {
    let page: Page;
    // Aborted at the end of a step: while waiting for the answer or while reading its body.
    try {
      page = await get(`${t.url}/v1/feeds/${t.recipient}/events?after=${after}&limit=500&wait=30`, t.token, arrivals !== undefined, tally, signal);
    } catch {
      return;
    }
    if (page.status !== 200) {
      // Counted and printed: a refused or failed page is part of what the clients cost.
      tally.refusals.set(page.status, (tally.refusals.get(page.status) ?? 0) + 1);
      await sleep(500);
      continue;
    }
    after = decodeURIComponent(/after=([^&>]+)/.exec(page.link)![1]!);
    tally.pages += 1;
    if (arrivals && page.text !== null) {
      for (const e of JSON.parse(page.text) as { data: { recordId?: string } }[]) {
        if (e.data.recordId && !arrivals.has(e.data.recordId)) arrivals.set(e.data.recordId, page.at);
      }
    }
  }
}
