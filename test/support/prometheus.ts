// The Prometheus side of the ops tests: where the rules, their tests and the dashboard are, the real binaries
// (Debian's `prometheus` package), and the names of the metrics the bridge exports.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { createMetrics } from '../../src/observability/metrics.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const OPS = join(ROOT, 'ops');
export const RULES_DIR = join(OPS, 'prometheus', 'rules');
export const RULE_TESTS_DIR = join(OPS, 'prometheus', 'tests');
export const DASHBOARD_DIR = join(OPS, 'grafana');

const INSTALL = "install Debian's package: apt-get update && apt-get install -y prometheus (.ci/run does it when promtool is missing)";

/** The path of a Prometheus binary (`promtool`, `prometheus`). Throws, saying how to install it, when it is not on
 * PATH: these tests fail without it, they never skip. */
export function binary(name: 'promtool' | 'prometheus'): string {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter).filter(Boolean)) {
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not in this folder
    }
  }
  throw new Error(`${name} is not installed (not on PATH): ${INSTALL}`);
}

export function promtool(args: string[], cwd = ROOT): SpawnSyncReturns<string> {
  return spawnSync(binary('promtool'), args, { cwd, encoding: 'utf8', timeout: 60_000 });
}

export const ruleFiles = (): string[] =>
  readdirSync(RULES_DIR)
    .filter((f) => f.endsWith('.yml'))
    .sort();
export const ruleTestFiles = (): string[] =>
  readdirSync(RULE_TESTS_DIR)
    .filter((f) => f.endsWith('.test.yml'))
    .sort();
export const dashboardFiles = (): string[] =>
  readdirSync(DASHBOARD_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();

export interface AlertRule {
  file: string;
  group: string;
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

interface RuleFile {
  groups: { name: string; rules: Omit<AlertRule, 'file' | 'group'>[] }[];
}

export function alertRules(): AlertRule[] {
  return ruleFiles().flatMap((file) => {
    const doc = parse(readFileSync(join(RULES_DIR, file), 'utf8')) as RuleFile;
    return doc.groups.flatMap((g) => g.rules.map((r) => ({ ...r, file, group: g.name })));
  });
}

/** Every PromQL expression of the dashboards' panels. */
export function dashboardExpressions(): { file: string; expr: string }[] {
  const out: { file: string; expr: string }[] = [];
  const walk = (file: string, v: unknown): void => {
    if (Array.isArray(v)) v.forEach((x) => walk(file, x));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if ((k === 'expr' || k === 'query') && typeof x === 'string') out.push({ file, expr: x });
        else walk(file, x);
      }
    }
  };
  for (const file of dashboardFiles()) walk(file, JSON.parse(readFileSync(join(DASHBOARD_DIR, file), 'utf8')));
  return out;
}

/** Names of the series the bridge exports: its own metrics (with TLS, so the certificate gauge is among them),
 * prom-client's default process and Node.js metrics, and a histogram's _bucket, _sum and _count. */
export async function exportedSeriesNames(tlsCertificate: Buffer): Promise<Set<string>> {
  const metrics = createMetrics({ tlsCertificate });
  const names = new Set<string>();
  for (const m of await metrics.registry.getMetricsAsJSON()) {
    names.add(m.name);
    // The declared type is an enum of numbers; prom-client gives the exposition's type name ('histogram').
    const type = String(m.type);
    if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(m.name + s);
    if (type === 'summary') for (const s of ['_sum', '_count']) names.add(m.name + s);
  }
  return names;
}

/** The metric names an expression reads, loosely: identifiers of the bridge's own metrics and of prom-client's
 * defaults (process_*, nodejs_*). Label values in quotes are left out. */
export function referencedMetrics(expr: string): string[] {
  const unquoted = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  return [...new Set(unquoted.match(/\b(?:bridge|process|nodejs)_[a-z0-9_]+\b/g) ?? [])];
}
