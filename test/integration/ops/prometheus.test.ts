// A real Prometheus (Debian's package) scrapes a real bridge process with the example scrape configuration of
// ops/prometheus/ (its targets, token file and paths replaced), loads the alert rules, and answers queries on the
// bridge's metrics through its HTTP API. Without the prometheus binary this test fails, saying how to install it.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { startBridgeProcess, untilReady, type BridgeProcess, type NodeProcess } from '../../../harness/bridge-process.ts';
import { freePort } from '../../../harness/ports.ts';
import { own, ownFolder, releaseFolder } from '../../../harness/processes.ts';
import { freshDatabase, testEnv } from '../../support/bridge.ts';
import { alertRules, binary, OPS, RULES_DIR } from '../../support/prometheus.ts';

interface ApiAnswer<T> {
  status: 'success' | 'error';
  data: T;
  error?: string;
}
interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}
interface Target {
  labels: Record<string, string>;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
}
interface RuleGroup {
  name: string;
  rules: { name: string; type: string; health: string; lastError?: string; state?: string }[];
}

let bridge: BridgeProcess | undefined;
let prometheus: NodeProcess | undefined;
let base = '';
let dir = '';
let log = '';

async function api<T>(path: string): Promise<T> {
  const res = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(5_000) });
  const body = (await res.json()) as ApiAnswer<T>;
  if (body.status !== 'success') throw new Error(`${path}: ${body.error ?? res.status}`);
  return body.data;
}
const query = (q: string) => api<{ resultType: string; result: Sample[] }>(`/api/v1/query?query=${encodeURIComponent(q)}`).then((d) => d.result);

beforeAll(async () => {
  const prometheusBinary = binary('prometheus'); // throws with the install command when missing
  dir = ownFolder(mkdtempSync(join(tmpdir(), 'bridge-prometheus-')));
  // The audit-verify job every 2 seconds: its run counter shows how Prometheus stores the metric's `job` label.
  bridge = await startBridgeProcess({
    name: 'the bridge scraped by Prometheus',
    env: testEnv(await freshDatabase(), { LOG_LEVEL: 'warn', JOB_AUDIT_VERIFY_CRON: '*/2 * * * * *' }),
  });

  // The ops client's token, as an operator would put Prometheus's own token in a file.
  const tokenFile = join(dir, 'bridge.token');
  writeFileSync(tokenFile, inject('testClients').tokens.ops, { mode: 0o600 });
  const config = parse(readFileSync(join(OPS, 'prometheus', 'prometheus.yml'), 'utf8')) as {
    global: Record<string, string>;
    rule_files: string[];
    scrape_configs: { job_name: string; authorization: { credentials_file: string }; static_configs: { targets: string[] }[] }[];
  };
  config.global = { scrape_interval: '1s', evaluation_interval: '1s' };
  config.rule_files = [join(RULES_DIR, '*.yml')];
  const job = config.scrape_configs[0]!;
  job.authorization.credentials_file = tokenFile;
  job.static_configs = [{ targets: [`127.0.0.1:${bridge.port}`] }];
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, stringify(config));
  mkdirSync(join(dir, 'data'));

  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const child = own(
    spawn(
      prometheusBinary,
      [`--config.file=${configFile}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    ),
  );
  child.stdout?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
  child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-20_000)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => resolve({ code, signal, stdout: '', stderr: log })),
  );
  prometheus = {
    child,
    pid: child.pid!,
    exited,
    running: () => child.exitCode === null && child.signalCode === null,
    tail: (n = 20) => log.trimEnd().split('\n').slice(-n).join('\n'),
    kill: (s) => void child.kill(s),
    async stop(signal = 'SIGTERM', killAfterMs = 10_000) {
      if (prometheus?.running()) child.kill(signal);
      const late = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      const exit = await exited;
      clearTimeout(late);
      return exit;
    },
  };
  await untilReady(prometheus, async () => (await fetch(`${base}/-/ready`)).ok, { name: 'prometheus', timeoutMs: 30_000, pollMs: 250 });
});

afterAll(async () => {
  await prometheus?.stop('SIGTERM', 10_000);
  await bridge?.stop('SIGTERM', 15_000);
  if (dir) releaseFolder(dir);
});

describe('a real Prometheus scraping the bridge', () => {
  it('reports the bridge target up, scraped with the ops token', async () => {
    await expect
      .poll(
        async () => {
          const { activeTargets } = await api<{ activeTargets: Target[] }>('/api/v1/targets');
          const t = activeTargets.find((a) => a.labels['job'] === 'gcos-zsm-bridge');
          return t ? `${t.health} ${t.lastError}`.trim() : 'no target';
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe('up');
    const up = await query('up{job="gcos-zsm-bridge"}');
    expect(up.map((s) => s.value[1])).toEqual(['1']);
  });

  it("answers queries on the bridge's metrics", async () => {
    await expect.poll(async () => (await query('bridge_relay_owned_slots{job="gcos-zsm-bridge"}')).length, { timeout: 20_000, interval: 500 }).toBe(1);
    const pending = await query('max by (job) (bridge_outbox_pending)');
    expect(pending[0]?.metric).toEqual({ job: 'gcos-zsm-bridge' });
    // The readiness answers the start-up polled for are counted by route and status.
    await expect
      .poll(async () => (await query('sum(bridge_http_requests_total{route="/health/ready",status="200"})'))[0]?.value[1] ?? '0', {
        timeout: 20_000,
        interval: 500,
      })
      .not.toBe('0');
    // prom-client's defaults, which the dashboard shows.
    expect((await query('process_resident_memory_bytes{job="gcos-zsm-bridge"}')).length).toBe(1);
  });

  it("keeps the job runs' own `job` label as exported_job, as the rules and the dashboard expect", async () => {
    await expect
      .poll(async () => (await query('bridge_job_runs_total{exported_job="audit-verify",status="succeeded"}')).length, { timeout: 30_000, interval: 500 })
      .toBe(1);
    const [runs] = await query('bridge_job_runs_total{exported_job="audit-verify"}');
    expect(runs?.metric['job']).toBe('gcos-zsm-bridge');
  });

  it('has loaded every alert rule, evaluates each without error, and none fires on a healthy bridge', async () => {
    const expected = alertRules();
    await expect
      .poll(
        async () => {
          const { groups } = await api<{ groups: RuleGroup[] }>('/api/v1/rules?type=alert');
          return groups.flatMap((g) => g.rules.map((r) => `${g.name}/${r.name}:${r.health}${r.lastError ? ` ${r.lastError}` : ''}`)).sort();
        },
        { timeout: 20_000, interval: 500 },
      )
      .toEqual(expected.map((r) => `${r.group}/${r.alert}:ok`).sort());
    const { alerts } = await api<{ alerts: { labels: Record<string, string>; state: string }[] }>('/api/v1/alerts');
    expect(alerts.filter((a) => a.state === 'firing').map((a) => a.labels['alertname'])).toEqual([]);
  });
});
