// Every metric the alert rules and the Grafana dashboard read is one the bridge exports: a renamed or removed
// metric breaks this test rather than silently emptying a panel or an alert.
import { afterAll, describe, expect, it } from 'vitest';
import { alertRules, dashboardExpressions, dashboardFiles, exportedSeriesNames, referencedMetrics } from '../../support/prometheus.ts';
import { TestPki } from '../../support/certificates.ts';

const pki = new TestPki();
afterAll(() => pki.remove());

async function exported(): Promise<Set<string>> {
  pki.authority('ca');
  return exportedSeriesNames(pki.issue('ca', 'server', '/CN=localhost', 'serverAuth').cert);
}

describe('metrics referenced by ops/', () => {
  it('reads metric names loosely from PromQL, leaving label values out', () => {
    expect(referencedMetrics('sum by (job) (rate(bridge_http_requests_total{route="/health/ready",status=~"5.."}[5m]))')).toEqual([
      'bridge_http_requests_total',
    ]);
    expect(
      referencedMetrics('histogram_quantile(0.95, sum by (le) (rate(bridge_relay_send_duration_seconds_bucket[5m]))) + process_cpu_seconds_total'),
    ).toEqual(['bridge_relay_send_duration_seconds_bucket', 'process_cpu_seconds_total']);
    expect(referencedMetrics('x{job="bridge_not_a_metric"}')).toEqual([]);
  });

  it('names in the alert rules only metrics the bridge exports', async () => {
    const names = await exported();
    const used = alertRules().flatMap((r) => referencedMetrics(r.expr).map((m) => ({ alert: r.alert, metric: m })));
    expect(used.length).toBeGreaterThan(10);
    expect(used.filter((u) => !names.has(u.metric))).toEqual([]);
  });

  it('names in the dashboard only metrics the bridge exports, and shows every bridge metric', async () => {
    const names = await exported();
    expect(dashboardFiles().length).toBeGreaterThan(0);
    const exprs = dashboardExpressions();
    const used = new Set(exprs.flatMap((e) => referencedMetrics(e.expr)));
    expect([...used].filter((m) => !names.has(m))).toEqual([]);
    // Every bridge_ metric is on the dashboard (a histogram by its _bucket, _sum or _count).
    const base = (m: string) => m.replace(/_(bucket|sum|count)$/, '');
    const shown = new Set([...used].map(base));
    expect([...names].filter((n) => n.startsWith('bridge_') && !used.has(n) && !shown.has(n) && !shown.has(base(n)))).toEqual([]);
  });
});
