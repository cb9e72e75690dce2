// Gzip for large answers that many clients receive alike (a pull-feed page shared by the clients of one read):
// compressed once per body, off the event loop (zlib runs on libuv's thread pool), and only for a client that
// says it takes gzip. Fifty clients of one feed otherwise each get the full text: the copying, not the bridge's
// work, then took the cores the ingest runs on (decision 0113).
import { promisify } from 'node:util';
import { gzip as gzipCb, constants } from 'node:zlib';

const gzip = promisify(gzipCb);

/** Smaller bodies go as they are: the hop to the thread pool and back costs a turn of a busy event loop, which a
 * lone client's latency felt (measured with bench:feed); the pages that many clients share are the large ones. */
export const GZIP_MIN_BYTES = 32_768;

const compressed = new WeakMap<Buffer, Promise<Buffer>>();

/** True when the Accept-Encoding header takes gzip: `gzip` or `*` with a weight above zero, gzip not refused. */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  if (header === undefined) return false;
  let gzipWeight: number | undefined;
  let anyWeight: number | undefined;
  for (const item of String(header).split(',')) {
    const [coding = '', ...params] = item.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    if (Number.isNaN(weight)) continue;
    if (coding.trim() === 'gzip' || coding.trim() === 'x-gzip') gzipWeight = weight;
    else if (coding.trim() === '*') anyWeight = weight;
  }
  return (gzipWeight ?? anyWeight ?? 0) > 0;
}

/** The body gzipped, once per Buffer however many answers send it. */
export function gzipOnce(body: Buffer): Promise<Buffer> {
  let out = compressed.get(body);
  if (!out) {
    // Level 1: most of the size for little of the CPU; JSON of similar events compresses well at any level.
    out = gzip(body, { level: constants.Z_BEST_SPEED });
    compressed.set(body, out);
  }
  return out;
}
