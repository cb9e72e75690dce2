// The alert rules of ops/prometheus/ with the real promtool: they load, their unit tests pass, every alert is seen
// both firing and not firing, and points at its section of the runbook. Without promtool these tests fail, saying
// how to install it; they never skip.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { alertRules, OPS, promtool, ROOT, RULE_TESTS_DIR, RULES_DIR, ruleFiles, ruleTestFiles } from '../../support/prometheus.ts';

interface RuleTestFile {
  rule_files: string[];
  tests: { name: string; alert_rule_test?: { eval_time: string; alertname: string; exp_alerts: unknown[] }[] }[];
}

const output = (r: { stdout: string; stderr: string; error?: Error | undefined }) => `${r.error?.message ?? ''}${r.stdout}${r.stderr}`;
const tmp = mkdtempSync(join(tmpdir(), 'bridge-promtool-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** GitHub's anchor of a Markdown heading. */
const anchor = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .replace(/ /g, '-');

describe('the alert rules (promtool)', () => {
  it('pass promtool check rules', () => {
    const r = promtool(['check', 'rules', ...ruleFiles().map((f) => join(RULES_DIR, f))]);
    expect(r.status, output(r)).toBe(0);
  });

  it.each(ruleTestFiles())(
    'pass promtool test rules %s',
    (file) => {
      const r = promtool(['test', 'rules', file], RULE_TESTS_DIR);
      expect(r.status, output(r)).toBe(0);
      expect(output(r)).toContain('SUCCESS');
    },
    30_000,
  );

  it('has one test file per rule file, and every alert is tested firing and not firing', () => {
    expect(ruleTestFiles().map((f) => f.replace('.test.yml', '.yml'))).toEqual(ruleFiles());
    const firing = new Set<string>();
    const silent = new Set<string>();
    for (const file of ruleTestFiles()) {
      const doc = parse(readFileSync(join(RULE_TESTS_DIR, file), 'utf8')) as RuleTestFile;
      expect(doc.rule_files).toEqual([`../rules/${file.replace('.test.yml', '.yml')}`]);
      for (const t of doc.tests) for (const a of t.alert_rule_test ?? []) (a.exp_alerts.length > 0 ? firing : silent).add(a.alertname);
    }
    const alerts = alertRules().map((r) => r.alert);
    expect(
      alerts.filter((a) => !firing.has(a)),
      'alerts never expected to fire',
    ).toEqual([]);
    expect(
      alerts.filter((a) => !silent.has(a)),
      'alerts never expected to stay silent',
    ).toEqual([]);
  });

  it('gives every alert a severity, a summary and a runbook section that exists in docs/operations.md', () => {
    const headings = new Set(
      readFileSync(join(ROOT, 'docs/operations.md'), 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('#'))
        .map((l) => anchor(l.replace(/^#+/, ''))),
    );
    for (const rule of alertRules()) {
      expect(['warning', 'critical'], rule.alert).toContain(rule.labels.severity);
      expect(rule.annotations.summary, rule.alert).toBeTruthy();
      const url = rule.annotations.runbook_url ?? '';
      expect(url, rule.alert).toMatch(/^docs\/operations\.md#[a-z0-9-]+$/);
      expect(headings.has(url.split('#')[1]!), `${rule.alert}: no heading for ${url}`).toBe(true);
    }
  });

  it('fails when an alert no longer fires on the series it is written for', () => {
    // A copy with one threshold moved out of reach: promtool test rules must fail on it.
    const dir = join(tmp, 'broken');
    cpSync(join(OPS, 'prometheus'), dir, { recursive: true });
    const rules = join(dir, 'rules', 'outbox.yml');
    const text = readFileSync(rules, 'utf8');
    expect(text).toContain('(bridge_outbox_oldest_age_seconds) > 120');
    writeFileSync(rules, text.replace('(bridge_outbox_oldest_age_seconds) > 120', '(bridge_outbox_oldest_age_seconds) > 100000'));
    const r = promtool(['test', 'rules', 'outbox.test.yml'], join(dir, 'tests'));
    expect(r.status).not.toBe(0);
    expect(output(r)).toContain('BridgeOutboxOldestMessageOld');
  }, 30_000);

  it('passes promtool check config on the example scrape configuration (with a token file in place)', () => {
    const token = join(tmp, 'bridge.token');
    writeFileSync(token, 'not-a-real-token\n');
    const config = readFileSync(join(OPS, 'prometheus', 'prometheus.yml'), 'utf8')
      .replace('/etc/prometheus/gcos-zsm-bridge.token', token)
      .replace('rules/*.yml', join(RULES_DIR, '*.yml'));
    const file = join(tmp, 'prometheus.yml');
    writeFileSync(file, config);
    const r = promtool(['check', 'config', file]);
    expect(r.status, output(r)).toBe(0);
  });
});
