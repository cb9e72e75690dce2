// The clients every test bridge knows, made once per run (a clients file in a temporary folder, tokens handed to
// the tests through vitest's provide/inject). Nothing of it is written into the repository.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Role } from '../../src/auth/roles.ts';
import { createToken } from '../../src/auth/tokens.ts';
import { ZSM_OIN } from './fixtures.ts';

/** OIN of the Veiligheidshuis in the example advice (schemas/examples/advice.valid.json). */
export const GCOS_OIN = '00000001823288444000';
/** Another Veiligheidshuis: synthetic. */
export const OTHER_VH_OIN = '00000009999999991000';

export const TEST_CLIENTS = {
  gcos: { id: 'test-gcos', oin: GCOS_OIN, roles: ['submit-advice'] },
  gcosOther: { id: 'test-gcos-other', oin: OTHER_VH_OIN, roles: ['submit-advice'] },
  zsm: { id: 'test-zsm', oin: ZSM_OIN, roles: ['submit-case-events', 'lookup'] },
  privacy: { id: 'test-privacy-officer', oin: '00000009999999993000', roles: ['privacy-officer'] },
  ops: { id: 'test-ops', oin: '00000009999999999000', roles: ['ops'] },
  // Reads the pull feed of the prosecutor's ZSM table only.
  receiver: { id: 'test-receiver', oin: '00000009999999994000', roles: ['receiver'], recipients: ['om-zsm'] },
} as const satisfies Record<string, { id: string; oin: string; roles: readonly Role[]; recipients?: readonly string[] }>;

export type TestClientName = keyof typeof TEST_CLIENTS;

export interface TestClientsFile {
  path: string;
  tokens: Record<TestClientName, string>;
}

/** Writes a clients file with one fresh token per test client; returns its path, the tokens and a clean-up. */
export async function writeTestClients(): Promise<TestClientsFile & { remove(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'bridge-clients-'));
  const tokens = {} as Record<TestClientName, string>;
  const clients = [];
  for (const [name, c] of Object.entries(TEST_CLIENTS) as [TestClientName, (typeof TEST_CLIENTS)[TestClientName]][]) {
    const { token, hashLine } = await createToken();
    tokens[name] = token;
    const recipients = 'recipients' in c ? { recipients: c.recipients } : {};
    clients.push({ id: c.id, organisation: { oin: c.oin, name: `Test ${name}` }, roles: c.roles, tokens: [hashLine], ...recipients });
  }
  const path = join(dir, 'clients.json');
  writeFileSync(path, JSON.stringify({ clients }, null, 2), { mode: 0o600 });
  return { path, tokens, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
