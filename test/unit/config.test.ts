import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

const VALID = {
  DATABASE_URL: 'postgres://bridge:secret@db.example:5432/bridge',
  KAFKA_BROKERS: 'k1.example:9092,k2.example:9092',
  BRIDGE_OIN: '00000001001234567000',
  PSEUDONYM_KEY: 'unit-test-pseudonym-key-0123456789abcdef',
};

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('reads a valid environment, applies defaults and coerces numbers and booleans', () => {
    const c = loadConfig({ ...VALID, PORT: '9000', RELAY_ENABLED: 'false' });
    expect(c.kafkaBrokers).toEqual(['k1.example:9092', 'k2.example:9092']);
    expect(c.port).toBe(9000);
    expect(c.relayEnabled).toBe(false);
    expect(c.logLevel).toBe('info');
    expect(c.bodyLimitBytes).toBe(262_144);
  });

  it('names every problem at once', () => {
    const problems = problemsOf({ PORT: 'eighty', LOG_LEVEL: 'loud', BRIDGE_OIN: '123' });
    const text = problems.join('\n');
    for (const name of ['DATABASE_URL', 'KAFKA_BROKERS', 'PORT', 'LOG_LEVEL', 'BRIDGE_OIN', 'PSEUDONYM_KEY']) expect(text).toContain(name);
    expect(problems.length).toBeGreaterThanOrEqual(6);
  });

  it('refuses a malformed DATABASE_URL and broker list without echoing the secret', () => {
    const problems = problemsOf({ ...VALID, DATABASE_URL: 'mysql://u:topsecret@h/db', KAFKA_BROKERS: 'no-port' });
    expect(problems.join('\n')).toMatch(/DATABASE_URL/);
    expect(problems.join('\n')).toMatch(/KAFKA_BROKERS/);
    expect(problems.join('\n')).not.toContain('topsecret');
  });

  it('refuses a shutdown drain that takes the whole grace period', () => {
    expect(loadConfig({ ...VALID }).shutdownDrainMs).toBeLessThan(loadConfig({ ...VALID }).shutdownTimeoutMs);
    expect(problemsOf({ ...VALID, SHUTDOWN_TIMEOUT_MS: '4000' })).toEqual([
      expect.stringContaining('SHUTDOWN_DRAIN_MS must be shorter than SHUTDOWN_TIMEOUT_MS'),
    ]);
    expect(loadConfig({ ...VALID, SHUTDOWN_TIMEOUT_MS: '4000', SHUTDOWN_DRAIN_MS: '1000' }).shutdownDrainMs).toBe(1000);
  });

  it('treats empty strings as unset', () => {
    expect(problemsOf({ ...VALID, DATABASE_URL: '' }).join()).toContain('DATABASE_URL is required');
  });

  it('reads the pseudonym key from a file, and refuses a short one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bridge-cfg-'));
    const good = join(dir, 'key');
    writeFileSync(good, 'a-file-held-secret-of-enough-length-1234\n');
    const { PSEUDONYM_KEY: _k, ...noKey } = VALID;
    expect(loadConfig({ ...noKey, PSEUDONYM_KEY_FILE: good }).pseudonymKey).toBe('a-file-held-secret-of-enough-length-1234');
    const short = join(dir, 'short');
    writeFileSync(short, 'short');
    expect(problemsOf({ ...noKey, PSEUDONYM_KEY_FILE: short }).join()).toContain('at least 32');
    expect(problemsOf({ ...noKey, PSEUDONYM_KEY_FILE: join(dir, 'missing') }).join()).toContain('cannot be read');
  });

  it('reads quality severities and refuses unknown codes or severities at start', () => {
    expect(loadConfig(VALID).qualitySeverities).toEqual({});
    expect(loadConfig({ ...VALID, QUALITY_SEVERITIES: 'GOAL_TOO_BRIEF=refuse' }).qualitySeverities).toEqual({ GOAL_TOO_BRIEF: 'refuse' });
    const problems = problemsOf({ ...VALID, QUALITY_SEVERITIES: 'GOAL_TOO_BRIEF=sometimes,NOPE=warn' });
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/QUALITY_SEVERITIES/);
    expect(loadConfig({ QUALITY_SEVERITIES: 'DV_HISTORY_MISSING=warn' }, ['quality']).qualitySeverities).toEqual({ DV_HISTORY_MISSING: 'warn' });
  });

  it('holds several pseudonym keys from a keys file: the current one by PSEUDONYM_KEY_ID, the others for lookups', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bridge-cfg-'));
    const keys = join(dir, 'keys');
    writeFileSync(keys, '# rotated 2026-05\nk1=the-first-key-of-at-least-32-characters\nk2 = the-second-key-of-at-least-32-characters\n');
    const { PSEUDONYM_KEY: _k, ...noKey } = VALID;
    const c = loadConfig({ ...noKey, PSEUDONYM_KEYS_FILE: keys, PSEUDONYM_KEY_ID: 'k2' });
    expect(c.pseudonymKey).toBe('the-second-key-of-at-least-32-characters');
    expect(c.pseudonymPreviousKeys).toEqual([{ id: 'k1', secret: 'the-first-key-of-at-least-32-characters' }]);
    // PSEUDONYM_KEY alone still works, with no earlier keys.
    expect(loadConfig(VALID).pseudonymPreviousKeys).toEqual([]);
    expect(problemsOf({ ...noKey, PSEUDONYM_KEYS_FILE: keys, PSEUDONYM_KEY_ID: 'k3' }).join()).toContain('PSEUDONYM_KEY_ID k3 names no key');
    expect(problemsOf({ ...VALID, PSEUDONYM_KEYS_FILE: keys, PSEUDONYM_KEY_ID: 'k2' }).join()).toContain('another secret for key k2');
    const bad = join(dir, 'bad');
    writeFileSync(bad, 'k1=short\nnot a key line\n');
    const problems = problemsOf({ ...noKey, PSEUDONYM_KEYS_FILE: bad });
    expect(problems.join('\n')).toMatch(/line 1: the secret of key k1 is shorter/);
    expect(problems.join('\n')).toMatch(/line 2: write <id>=<secret>/);
    expect(problems.join('\n')).not.toContain('short\n');
  });

  it('names the shipped exchange policy unless EXCHANGE_POLICY_FILE says otherwise', () => {
    expect(loadConfig(VALID).exchangePolicyFile).toMatch(/policies\/exchange-policy\.yaml$/);
    expect(loadConfig({ ...VALID, EXCHANGE_POLICY_FILE: '/etc/bridge/policy.yaml' }).exchangePolicyFile).toBe('/etc/bridge/policy.yaml');
  });

  it('reads the clients file and the TLS files, and names their problems', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bridge-cfg-'));
    const clients = join(dir, 'clients.yaml');
    writeFileSync(clients, 'clients: []\n');
    const pem = join(dir, 'x.pem');
    writeFileSync(pem, 'not really a certificate');
    const c = loadConfig({ ...VALID, CLIENTS_FILE: clients, TLS_CERT: pem, TLS_KEY: pem });
    expect(c.clients).toEqual([]);
    expect(c.tls).toMatchObject({ ca: undefined });
    expect(c.metricsPublic).toBe(false);
    expect(c.rateLimitPerMinute).toBe(600);
    expect(c.shedEventLoopDelayMs).toBe(200);
    expect(loadConfig(VALID).tls).toBeUndefined();
    const problems = problemsOf({ ...VALID, CLIENTS_FILE: join(dir, 'missing.json'), TLS_CA: pem, SHED_EVENT_LOOP_UTILIZATION: '2' }).join('\n');
    expect(problems).toContain('CLIENTS_FILE cannot be read');
    expect(problems).toContain('TLS_CERT and TLS_KEY go together');
    expect(problems).toContain('SHED_EVENT_LOOP_UTILIZATION');
    expect(problemsOf({ ...VALID, TLS_CERT: join(dir, 'none.pem'), TLS_KEY: pem }).join()).toContain('TLS_CERT cannot be read');
  });

  it('loads only the sections a command needs', () => {
    const c = loadConfig({ DATABASE_URL: VALID.DATABASE_URL }, ['database']);
    expect(c.databaseUrl).toBe(VALID.DATABASE_URL);
  });
});
