// Steady load: concurrent clients posting advices, each about its own subjects, one advice after the other per
// subject. An advice is re-sent (same id, same content, so an idempotent replay) until it gets a 202; only then
// does that subject's next advice go out. So the order of the 202s per subject is the acceptance order the
// checker expects on every topic.
import { Agent, request } from 'node:http';
import { syntheticBsn, validAdvice } from '../test/support/fixtures.ts';
import { sleep } from '../harness/processes.ts';

export interface Ack {
  recordId: string;
  adviceId: string;
  subject: number;
  seq: number;
}

export interface LoadCounts {
  /** Responses by HTTP status. */
  statuses: Record<number, number>;
  /** Shed or limited responses (429/503) that carried Retry-After. */
  withRetryAfter: number;
  /** Connection refused: the request never reached a bridge. */
  refused: number;
  /** A reused keep-alive connection closed by the server as the request went out (HTTP/1.1's known race). */
  staleKeepAlive: number;
  /** A request that reached a bridge and got no answer: cut off. */
  cutOff: number;
  /** The cut-offs by error code, and whether the connection was a reused one ("reused:EPIPE"). */
  cutOffCauses: Record<string, number>;
  timeouts: number;
  /** 503s whose problem said the outcome is unknown (BRIDGE_OUTCOME_UNKNOWN): stored or not, both are true. */
  outcomeUnknown: number;
  /** Advices answered only "nothing stored" (a problem other than BRIDGE_OUTCOME_UNKNOWN) or a definite refusal
   * before their 202, whose 202 was nevertheless a replay: one of those answers was false (a 503 but stored). */
  falselyNotStored: number;
}

/** 4xx/5xx problems that promise nothing was stored; BRIDGE_OUTCOME_UNKNOWN promises nothing either way. */
const UNKNOWN = 'BRIDGE_OUTCOME_UNKNOWN';

export interface LoadOptions {
  /** Where requests go, asked before every attempt: replicas come and go. */
  targets: () => string[];
  token: string;
  clients: number;
  subjectsPerClient: number;
  /** Prefix of every adviceId (scenario and run), so runs and scenarios never share an advice. */
  tag: string;
  /** First subject number; subjects are syntheticBsn(firstSubject + i). */
  firstSubject?: number;
  /** Stop by itself once this many advices are acknowledged. */
  records?: number;
  requestTimeoutMs?: number;
  /** Pause of each client between two advices: steady load that leaves the machine room for the faults. */
  paceMs?: number;
  /** Longest wait a Retry-After may impose (short runs stay short). */
  maxRetryWaitMs?: number;
}

export class Load {
  readonly acks: Ack[] = [];
  readonly counts: LoadCounts = {
    statuses: {},
    withRetryAfter: 0,
    refused: 0,
    staleKeepAlive: 0,
    cutOff: 0,
    cutOffCauses: {},
    timeouts: 0,
    outcomeUnknown: 0,
    falselyNotStored: 0,
  };
  private stopping = false;
  private workers: Promise<void>[] = [];
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private readonly opts: LoadOptions;
  private readonly bsns: string[];
  private next = 0;
  private done: () => void = () => undefined;
  /** Resolves once `records` advices are acknowledged (or the load is stopped). */
  readonly reached: Promise<void>;

  constructor(opts: LoadOptions) {
    this.opts = opts;
    const first = opts.firstSubject ?? 0;
    this.bsns = Array.from({ length: opts.clients * opts.subjectsPerClient }, (_, i) => syntheticBsn(first + i));
    this.reached = new Promise((r) => (this.done = r));
  }

  start(): this {
    this.workers = Array.from({ length: this.opts.clients }, (_, c) => this.worker(c));
    return this;
  }

  /** Waits for the requests in flight; what they had not yet got acknowledged is simply not acknowledged. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.done();
    await Promise.all(this.workers);
    this.agent.destroy();
  }

  private async worker(c: number): Promise<void> {
    const seqs = new Array<number>(this.opts.subjectsPerClient).fill(0);
    for (let turn = 0; !this.stopping; turn++) {
      const k = turn % this.opts.subjectsPerClient;
      const subject = c * this.opts.subjectsPerClient + k;
      const seq = seqs[k]!;
      const adviceId = `${this.opts.tag}-s${subject}-n${seq}`;
      const body = JSON.stringify(validAdvice({ adviceId, bsn: this.bsns[subject]! }));
      const recordId = await this.untilAccepted(body);
      if (recordId === undefined) return; // stopped before the 202
      this.acks.push({ recordId, adviceId, subject, seq });
      seqs[k] = seq + 1;
      if (this.opts.records !== undefined && this.acks.length >= this.opts.records) this.done();
      if (this.opts.paceMs) await sleep(this.opts.paceMs);
    }
  }

  private async untilAccepted(body: string): Promise<string | undefined> {
    // Whether every attempt so far got an answer saying nothing was stored (or a refused connection, which never
    // reached a bridge): then a replayed 202 proves one of those answers false.
    let onlyNothingStored = true;
    for (let attempt = 0; !this.stopping; attempt++) {
      const targets = this.opts.targets();
      const target = targets[this.next++ % Math.max(1, targets.length)];
      if (target === undefined) {
        await sleep(100);
        continue;
      }
      const r = await this.post(target, body);
      if (r.status === 202) {
        if (r.replayed && onlyNothingStored && attempt > 0) this.counts.falselyNotStored++;
        return (JSON.parse(r.body) as { id: string }).id;
      }
      if (r.status === 503 && problemCode(r.body) === UNKNOWN) this.counts.outcomeUnknown++;
      if (!r.refused && (r.status === undefined || problemCode(r.body) === UNKNOWN)) onlyNothingStored = false;
      // Anything else: wait a little (Retry-After when given) and send the same advice again, to any replica.
      const wait = r.retryAfterS !== undefined ? r.retryAfterS * 1000 : 100 * Math.min(attempt + 1, 10);
      await sleep(Math.min(wait, this.opts.maxRetryWaitMs ?? 1_000));
    }
    return undefined;
  }

  private post(base: string, body: string): Promise<{ status?: number; body: string; retryAfterS?: number; replayed?: boolean; refused?: boolean }> {
    return new Promise((resolve) => {
      const req = request(
        `${base}/v1/advices`,
        {
          method: 'POST',
          agent: this.agent,
          timeout: this.opts.requestTimeoutMs ?? 20_000,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${this.opts.token}`, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('error', () => resolve({ body: '' }));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            this.counts.statuses[status] = (this.counts.statuses[status] ?? 0) + 1;
            const ra = res.headers['retry-after'];
            if ((status === 429 || status === 503) && ra !== undefined) this.counts.withRetryAfter++;
            resolve({
              status,
              body: Buffer.concat(chunks).toString(),
              replayed: res.headers['idempotent-replayed'] === 'true',
              ...(ra !== undefined && { retryAfterS: Number(ra) }),
            });
          });
        },
      );
      req.on('timeout', () => {
        this.counts.timeouts++;
        req.destroy(new Error('client timeout'));
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (err.message === 'client timeout') return resolve({ body: '' });
        if (err.code === 'ECONNREFUSED') {
          this.counts.refused++;
          return resolve({ body: '', refused: true });
        } else if (req.reusedSocket && err.code === 'ECONNRESET') this.counts.staleKeepAlive++;
        else {
          this.counts.cutOff++;
          const cause = `${req.reusedSocket ? 'reused' : 'new'}:${err.code ?? err.message}`;
          this.counts.cutOffCauses[cause] = (this.counts.cutOffCauses[cause] ?? 0) + 1;
        }
        resolve({ body: '' });
      });
      req.end(body);
    });
  }
}

function problemCode(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { code?: string }).code;
  } catch {
    return undefined;
  }
}

export function statusSummary(counts: LoadCounts): string {
  return Object.entries(counts.statuses)
    .map(([s, n]) => `${s}:${n}`)
    .join(' ');
}
