// One webhook attempt: check the target (address-guard.ts), sign (Standard Webhooks: webhook-id is the ce_id,
// webhook-timestamp this attempt's time), POST the structured CloudEvent to the checked address, and read at
// most a small answer. Redirects are not followed (a 3xx is a failed attempt), and one deadline covers connect,
// request and response, so a slow receiver costs its own subscription that long and no more.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { checkTarget, TargetRefused, type Resolver } from './address-guard.ts';
import type { BlockList } from 'node:net';
import { STRUCTURED_CONTENT_TYPE, structuredBody, type OutgoingEvent } from '../outbox/structured-event.ts';

const MAX_ANSWER_BYTES = 64 * 1024;

export type AttemptOutcome =
  { ok: true; status: number } | { ok: false; reason: 'status' | 'redirect' | 'timeout' | 'network' | 'refused-address'; detail: string; status?: number };

export interface SenderSettings {
  timeoutMs: number;
  allowed: BlockList;
  userAgent: string;
  resolve?: Resolver;
  /** Aborts the attempt (shutdown): it ends as a network failure and the event stays where it was. */
  signal?: AbortSignal;
}

export async function sendWebhook(target: { url: string; secret: string }, event: OutgoingEvent, s: SenderSettings): Promise<AttemptOutcome> {
  let checked;
  try {
    checked = await checkTarget(target.url, s.allowed, s.resolve);
  } catch (err) {
    if (err instanceof TargetRefused) return { ok: false, reason: 'refused-address', detail: err.message };
    throw err;
  }
  const body = structuredBody(event);
  const now = new Date();
  const signature = new Webhook(target.secret).sign(event.eventId, now, body);
  const timestamp = Math.floor(now.getTime() / 1000).toString();
  const { url, address, family } = checked;
  // Connect to the address that was checked, whatever a second DNS answer would say (DNS rebinding).
  const pinned: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
  return new Promise<AttemptOutcome>((resolve) => {
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
      url,
      {
        method: 'POST',
        lookup: pinned,
        agent: false,
        ...(s.signal && { signal: s.signal }),
        headers: {
          'content-type': STRUCTURED_CONTENT_TYPE,
          'content-length': Buffer.byteLength(body),
          'user-agent': s.userAgent,
          'webhook-id': event.eventId,
          'webhook-timestamp': timestamp,
          'webhook-signature': signature,
          ...(event.headers['traceparent'] && { traceparent: event.headers['traceparent'] }),
        },
      },
      (res) => {
        drain(res).then(() => {
          clearTimeout(timer);
          resolve(outcomeOf(res.statusCode ?? 0));
        }, fail);
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new Error('timeout'));
    }, s.timeoutMs);
    function fail(err: Error): void {
      clearTimeout(timer);
      resolve(
        err.message === 'timeout'
          ? { ok: false, reason: 'timeout', detail: `no answer within ${s.timeoutMs} ms` }
          : { ok: false, reason: 'network', detail: networkDetail(err) },
      );
    }
    req.on('error', fail);
    req.end(body);
  });
}

/** Reads the answer up to the ceiling and drops the rest: only the status matters. */
function drain(res: IncomingMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    res.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > MAX_ANSWER_BYTES) {
        res.destroy();
        resolve();
      }
    });
    res.on('end', resolve);
    res.on('error', reject);
    res.on('close', resolve);
  });
}

function outcomeOf(status: number): AttemptOutcome {
  if (status >= 200 && status < 300) return { ok: true, status };
  if (status >= 300 && status < 400) return { ok: false, reason: 'redirect', status, detail: `answered ${status}; redirects are not followed` };
  return { ok: false, reason: 'status', status, detail: `answered ${status}` };
}

/** A code, never the message text of a TLS or socket error (it can quote the host, but nothing else we hold). */
function networkDetail(err: Error & { code?: string }): string {
  return `connection failed (${err.code ?? 'error'})`;
}
