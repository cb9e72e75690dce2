// Subscriptions declared in WEBHOOK_SUBSCRIPTIONS_FILE: created at start with the secret the file points to,
// logged with 'configuration' as the actor, left alone on a restart with the same file, updated when it changes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startWebhooks } from '../../../src/services.ts';
import { readDeclaredSubscriptions } from '../../../src/webhook/declared-subscriptions.ts';
import { newSecret } from '../../../src/webhook/secrets.ts';
import { applyDeclaredSubscriptions } from '../../../src/webhook/subscriptions.ts';
import { startBridge, type TestBridge } from '../../support/bridge.ts';
import { OM_ZSM } from '../../support/fixtures.ts';

const ID = '2f6c0c1e-6a53-4a3e-9d1e-0c7a7f0b5e11';
const dir = mkdtempSync(join(tmpdir(), 'webhook-declared-'));
const secret = newSecret();
let bridge: TestBridge;

function declare(url: string): string {
  const file = join(dir, 'subscriptions.yaml');
  writeFileSync(join(dir, 'secret'), `${secret}\n`);
  writeFileSync(file, `subscriptions:\n  - id: ${ID}\n    recipient: ${OM_ZSM}\n    url: ${url}\n    secretFile: ${join(dir, 'secret')}\n`);
  return file;
}

beforeAll(async () => {
  bridge = await startBridge({ env: { WEBHOOK_SUBSCRIPTIONS_FILE: declare('http://127.0.0.1:9/one') } });
});
afterAll(async () => bridge?.close());

it('creates, keeps and updates a declared subscription, each change logged', async () => {
  await startWebhooks(bridge.services);
  const one = await bridge.inject({ method: 'GET', url: `/v1/recipients/${OM_ZSM}/subscriptions/${ID}` }, 'privacy');
  expect(one.json()).toMatchObject({ id: ID, url: 'http://127.0.0.1:9/one', origin: 'config', createdBy: 'configuration' });
  expect(one.body).not.toContain(secret);
  const deps = { pool: bridge.services.pool, secrets: bridge.services.webhookSecrets, allowed: bridge.services.webhookAllowed };
  expect(await applyDeclaredSubscriptions(deps, readDeclaredSubscriptions(declare('http://127.0.0.1:9/one')), 't')).toBe(0);
  expect(await applyDeclaredSubscriptions(deps, readDeclaredSubscriptions(declare('http://127.0.0.1:9/two')), 't')).toBe(1);
  const two = await bridge.inject({ method: 'GET', url: `/v1/recipients/${OM_ZSM}/subscriptions/${ID}` }, 'privacy');
  expect(two.json()).toMatchObject({ url: 'http://127.0.0.1:9/two' });
  const { rows } = await bridge.services.pool.query<{ change: string; actor: string }>(
    `SELECT detail ->> 'change' AS change, actor FROM processing_log WHERE operation = 'configured' AND detail ->> 'subscriptionId' = $1 ORDER BY id`,
    [ID],
  );
  expect(rows).toEqual([
    { change: 'subscription-created', actor: 'configuration' },
    { change: 'subscription-updated', actor: 'configuration' },
  ]);
  expect(bridge.logs.text()).not.toContain(secret);
});

it('refuses a file that names no secret, without echoing anything secret', () => {
  const file = join(dir, 'bad.yaml');
  writeFileSync(file, `subscriptions:\n  - id: ${ID}\n    recipient: ${OM_ZSM}\n    url: https://example.org/x\n    secretEnv: NOT_SET_ANYWHERE\n`);
  expect(() => readDeclaredSubscriptions(file, {})).toThrow(/secretEnv names a variable that is not set/);
});
