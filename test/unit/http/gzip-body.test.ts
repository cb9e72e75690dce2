import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { acceptsGzip, gzipOnce } from '../../../src/http/gzip-body.ts';

describe('gzip for shared answers', () => {
  it('reads Accept-Encoding: gzip or * with a weight above zero, unless gzip itself is refused', () => {
    expect(acceptsGzip('gzip')).toBe(true);
    expect(acceptsGzip('br, GZIP;q=0.5, deflate')).toBe(true);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip('x-gzip')).toBe(true);
    expect(acceptsGzip(undefined)).toBe(false);
    expect(acceptsGzip('')).toBe(false);
    expect(acceptsGzip('identity')).toBe(false);
    expect(acceptsGzip('br, deflate')).toBe(false);
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('*, gzip;q=0')).toBe(false);
    expect(acceptsGzip('*;q=0')).toBe(false);
    expect(acceptsGzip('gzip;q=abc')).toBe(false);
  });

  it('compresses a body once however often it is sent', async () => {
    const body = Buffer.from(JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ id: `e${i}`, data: { text: 'the same words again' } }))));
    const a = gzipOnce(body);
    expect(gzipOnce(body)).toBe(a);
    const zipped = await a;
    expect(zipped.length).toBeLessThan(body.length / 4);
    expect(gunzipSync(zipped).equals(body)).toBe(true);
  });
});
