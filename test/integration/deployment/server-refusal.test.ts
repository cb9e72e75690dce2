// The real process refuses to start (exit 78, as a configuration error) when its database commits asynchronously.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { runNode, SERVER } from '../../../harness/bridge-process.ts';
import { emptyDatabase, testEnv } from '../../support/bridge.ts';

async function setAsynchronousCommit(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const name = new URL(url).pathname.slice(1);
    await c.query(`ALTER DATABASE "${name}" SET synchronous_commit = off`);
  } finally {
    await c.end();
  }
}

describe('the server process and the durability check', () => {
  it('exits with 78, naming the setting, when synchronous_commit is off for its database', async () => {
    const url = await emptyDatabase('d');
    await setAsynchronousCommit(url);
    const r = await runNode(SERVER, { env: testEnv(url, { MIGRATE_ON_START: 'true' }), killAfterMs: 60_000 }).exited;
    expect(r.code).toBe(78);
    expect(r.stdout).toContain('synchronous_commit is off for the bridge');
    expect(r.stdout).toContain('DURABILITY_CHECKS=warn accepts the risk');
  });
});
