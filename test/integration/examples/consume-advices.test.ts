// The example consumer in docs/consuming.md works against a real broker: it reads the bridge's topic, prints
// ids only, drops a resend with the same ce_id, and checks each value against the bridge's AsyncAPI document.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startBridge, type TestBridge } from '../../support/bridge.ts';
import { adviceExpiryJob } from '../../../src/jobs/advice-expiry.ts';
import { waitForDelivery } from '../../support/db.ts';
import { daysFromToday, OM_ZSM, syntheticBsn, validAdvice } from '../../support/fixtures.ts';

const EXAMPLE = fileURLToPath(new URL('../../../examples/consume-advices.ts', import.meta.url));
let bridge: TestBridge;
beforeAll(async () => {
  bridge = await startBridge();
});
afterAll(async () => {
  await bridge?.close();
});

describe('examples/consume-advices.ts', () => {
  it('prints each new advice and its expiry once, by id, without personal data, each as the AsyncAPI document says', async () => {
    const res = await bridge.inject({ method: 'POST', url: '/v1/advices', payload: validAdvice({ adviceId: 'EX-1', bsn: syntheticBsn(30) }) });
    expect(res.statusCode).toBe(202);
    expect(await waitForDelivery(bridge.services.pool)).toBe(0);
    // Resend the same message (same ce_id), as the relay would after an unknown outcome.
    await bridge.services.pool.query('UPDATE outbox SET delivered_at = NULL');
    expect(await waitForDelivery(bridge.services.pool)).toBe(0);
    // The advice expires (its valid-until is at most 180 days on): one more event.
    const later = new Date(`${daysFromToday(200)}T12:00:00Z`);
    await adviceExpiryJob('0 0 1 1 *', bridge.config.bridgeOin).run({ pool: bridge.services.pool, logger: bridge.services.logger, now: later });
    expect(await waitForDelivery(bridge.services.pool)).toBe(0);

    // The document as a recipient saves it from GET /v1/asyncapi.json.
    const asyncapi = join(mkdtempSync(join(tmpdir(), 'asyncapi-')), 'asyncapi.json');
    writeFileSync(asyncapi, (await bridge.inject({ method: 'GET', url: '/v1/asyncapi.json' }, null)).body);
    const args = [
      EXAMPLE,
      '--topic',
      bridge.topic('advice', OM_ZSM),
      '--brokers',
      inject('kafkaBrokers'),
      '--group',
      `ex-${randomBytes(3).toString('hex')}`,
      '--max',
      '3',
      '--asyncapi',
      asyncapi,
    ];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    await new Promise((r) => setTimeout(r, 12_000));
    child.kill('SIGTERM');
    const lines = out.trim().split('\n').filter(Boolean);
    expect(err).not.toContain('not as the AsyncAPI document describes');
    expect(lines).toHaveLength(2); // the resend was dropped
    expect(lines[0]).toContain('advice=EX-1 v1');
    expect(lines[0]).toContain('quality=met');
    expect(lines[0]).toContain(`record=${res.json<{ id: string }>().id}`);
    expect(lines[1]).toMatch(/^nl\.justitieketen\.zsm\.advice\.expired .* advice=EX-1 v1 validUntil=/);
    expect(out).not.toContain(syntheticBsn(30));
  });
});
